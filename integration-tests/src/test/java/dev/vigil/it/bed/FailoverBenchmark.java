package dev.vigil.it.bed;

import dev.vigil.it.Distribution;
import dev.vigil.kits.TestHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The failover benchmark of docs/benchmarks.md on the namespace bed: runs each named scenario N
 * times (the client writing through the virtual IP, one fault per round) and prints every round,
 * then a table of the outage (largest gap between acknowledged commits from the fault on) with its
 * median and worst, lost acknowledged commits and double-active samples; "footprint" measures the
 * resident memory and CPU of the idle daemons over 60 s. Run by integration-tests/bench/failover.sh.
 */
public final class FailoverBenchmark {
    private static final Duration BACK = Duration.ofSeconds(60);

    /** A scenario: the cluster it needs, its fault, and what says the cluster has dealt with it. */
    private record Scenario(java.util.function.Function<Bed, BedConfig> config, Fault fault, Settled settled) {
        Scenario(BedConfig config, Fault fault, Settled settled) {
            this(bed -> config, fault, settled);
        }
    }

    @FunctionalInterface
    private interface Fault {
        void inject(Bed bed) throws Exception;
    }

    /** Waits until the cluster has dealt with the fault; {@code mark} is where n1's main log ended before it. */
    @FunctionalInterface
    private interface Settled {
        void await(Bed bed, long mark) throws Exception;
    }

    private static final Settled RECOVERED_ON_N1 = (bed, mark) -> bed.awaitLogSince("n1", "vigil.log", mark,
            "recover: local recovery of resource \"" + BedConfig.TAG + "\"", BACK);
    private static final Settled IN_SERVICE_ON_N2 = (bed, mark) -> bed.awaitStatus("n2", BACK, s -> Bed.inService(s, "n2"));

    private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    static {
        BedConfig witness = BedConfig.twoServers().withWitness();
        SCENARIOS.put("postmaster-kill", new Scenario(BedConfig.twoServers(), bed -> TestHost.kill(bed.postmaster("n1")),
                RECOVERED_ON_N1));
        SCENARIOS.put("power-off", new Scenario(witness, bed -> bed.powerOff("n1"), IN_SERVICE_ON_N2));
        SCENARIOS.put("power-off-lease", new Scenario(bed -> BedConfig.twoServers().extra(
                "vigil.cluster.fencing.lease-device = \"" + bed.leaseDevice() + "\"\n"), bed -> bed.powerOff("n1"),
                IN_SERVICE_ON_N2));
        SCENARIOS.put("switchover", new Scenario(witness, bed -> expectOk(bed.run("n1", "lcdremexec", "-d", "n2", "--",
                "perform_action", "-t", BedConfig.TAG, "-a", "restore")), IN_SERVICE_ON_N2));
        SCENARIOS.put("lkstop-n", new Scenario(witness, bed -> expectOk(bed.run("n1", "lkstop", "-n")), IN_SERVICE_ON_N2));
    }

    private FailoverBenchmark() {
    }

    private static void expectOk(Distribution.Result r) {
        if (r.exitCode() != 0) {
            throw new IllegalStateException("exit " + r.exitCode() + ": " + r.output().strip());
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = 5;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-n") && i + 1 < args.length) {
                rounds = Integer.parseInt(args[++i]);
            } else if (SCENARIOS.containsKey(args[i]) || args[i].equals("footprint")) {
                names.add(args[i]);
            } else {
                System.err.println("usage: failover.sh [-n ROUNDS] [SCENARIO...]   scenarios: "
                        + String.join(", ", SCENARIOS.keySet()) + ", footprint (default: postmaster-kill footprint)");
                System.exit(2);
            }
        }
        if (names.isEmpty()) {
            names = List.of("postmaster-kill", "footprint");
        }
        if (!TestHost.isRoot()) {
            System.err.println("failover.sh: the namespace bed needs root");
            System.exit(1);
        }
        List<String> table = new ArrayList<>();
        try (Bed bed = Bed.create(Distribution.fromSystemProperty())) {
            for (String name : names) {
                table.add(name.equals("footprint") ? footprint(bed) : measure(bed, name, SCENARIOS.get(name), rounds));
            }
        }
        System.out.println();
        System.out.println(String.format("%-16s %6s %10s %10s %6s %13s", "scenario", "rounds", "median", "worst", "lost",
                "double-active"));
        table.forEach(System.out::println);
        System.exit(0);
    }

    private static String measure(Bed bed, String name, Scenario scenario, int rounds) throws Exception {
        List<Long> outages = new ArrayList<>();
        long lost = 0;
        long doubleActive = 0;
        for (int i = 1; i <= rounds; i++) {
            bed.startCluster(scenario.config().apply(bed));
            try (ScenarioRun run = ScenarioRun.begin(bed, name + "-" + System.currentTimeMillis())) {
                Thread.sleep(1500);
                long mark = bed.logEnd("n1", "vigil.log");
                long mark2 = bed.logEnd("n2", "vigil.log");
                String faultAt = java.time.LocalTime.now().toString();
                run.fault(() -> scenario.fault().inject(bed));
                scenario.settled().await(bed, mark);
                ScenarioRun.Outcome o = run.finish();
                saveLog(bed, name, i, mark2, faultAt);
                outages.add(o.outage().window().toMillis());
                lost += o.lostCommits();
                doubleActive += o.doubleActive().size();
                System.out.printf("%s round %2d: outage %5d ms (writes back %5d ms after the fault), %d lost, "
                        + "%d double-active of %d samples%n", name, i, o.outage().window().toMillis(),
                        o.resume().toMillis(), o.lostCommits(), o.doubleActive().size(), o.samples());
            } catch (Exception | AssertionError e) {
                System.out.printf("%s round %2d: FAILED: %s%n", name, i, e.getMessage());
                return String.format("%-16s %6s %s", name, i - 1 + "/" + rounds, "failed in round " + i + ": "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            }
        }
        List<Long> sorted = outages.stream().sorted().toList();
        long median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        return String.format("%-16s %6d %7d ms %7d ms %6d %13d", name, rounds, median, sorted.get(sorted.size() - 1), lost,
                doubleActive);
    }

    /** CPU ticks of every thread of {@code pid}, by thread name (threads of one name summed). */
    private static Map<String, Long> threadTicks(long pid) throws java.io.IOException {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/" + pid + "/task"))) {
            for (java.nio.file.Path t : tasks.toList()) {
                try {
                    String stat = java.nio.file.Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+$", "#");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (java.io.IOException | RuntimeException gone) {
                    // the thread ended while read
                }
            }
        }
        return out;
    }

    /** n2's main log from the fault on, for reading where the time went: under /var/tmp/vigil-bench/. */
    private static void saveLog(Bed bed, String name, int round, long mark, String faultAt) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Files.createDirectories(java.nio.file.Path.of("/var/tmp/vigil-bench"));
        java.nio.file.Files.writeString(dir.resolve(name + "-" + round + "-n2.log"), "fault at " + faultAt + "\n"
                + bed.logSince("n2", "vigil.log", mark));
        for (String s : List.of("n1", "n2")) {
            java.nio.file.Files.copy(bed.logFile(s, "vigil.log"), dir.resolve(name + "-" + round + "-" + s + "-full.log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        String server = name.equals("postmaster-kill") ? "n1" : "n2";
        java.nio.file.Files.writeString(dir.resolve(name + "-" + round + "-pg.log"), bed.machine(server).sh("sh", "-c",
                "tail -n 80 " + bed.dataDir().resolve("postgresql.log") + " 2>&1"));
    }

    /** Resident memory and CPU of both idle daemons over 60 s, the hierarchy in service on n1, no client. */
    private static String footprint(Bed bed) throws Exception {
        bed.startCluster(BedConfig.twoServers());
        Thread.sleep(10_000);
        Map<String, long[]> start = new LinkedHashMap<>();
        Map<String, Map<String, Long>> threadsBefore = new LinkedHashMap<>();
        for (String s : List.of("n1", "n2")) {
            long pid = bed.daemonPid(s);
            start.put(s, new long[] {pid, ProcFs.cpuTicks(pid)});
            threadsBefore.put(s, threadTicks(pid));
        }
        long t0 = System.nanoTime();
        Thread.sleep(60_000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, long[]> e : start.entrySet()) {
            long pid = e.getValue()[0];
            double cpu = (ProcFs.cpuTicks(pid) - e.getValue()[1]) / 100.0 / seconds * 100;
            String line = String.format("footprint: daemon on %s (%s) idle for %.0f s: RSS %d MiB, CPU %.2f %% of one core",
                    e.getKey(), e.getKey().equals("n1") ? "hierarchy in service" : "standby", seconds,
                    ProcFs.rssKib(pid) / 1024, cpu);
            System.out.println(line);
            out.append(out.length() == 0 ? "" : "\n").append(line);
            Map<String, Long> before = threadsBefore.get(e.getKey());
            threadTicks(pid).entrySet().stream()
                    .map(t -> Map.entry(t.getKey(), t.getValue() - before.getOrDefault(t.getKey(), 0L)))
                    .filter(t -> t.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                    .forEach(t -> System.out.printf("    thread %-40s %6.2f %% of one core%n", t.getKey(),
                            t.getValue() / 100.0 / seconds * 100));
        }
        return out.toString();
    }
}
