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
    /** footprint: n1 + n2 with the disk lease; footprint-witness: n1 + n2 + witness n3, quorum only. */
    private static final List<String> FOOTPRINTS = List.of("footprint", "footprint-witness");

    private static BedConfig leaseConfig(Bed bed) {
        return BedConfig.twoServers().extra("vigil.cluster.fencing.lease-device = \"" + bed.leaseDevice() + "\"\n");
    }

    static {
        BedConfig witness = BedConfig.twoServers().withWitness();
        SCENARIOS.put("postmaster-kill", new Scenario(BedConfig.twoServers(), bed -> TestHost.kill(bed.postmaster("n1")),
                RECOVERED_ON_N1));
        SCENARIOS.put("power-off", new Scenario(witness, bed -> bed.powerOff("n1"), IN_SERVICE_ON_N2));
        SCENARIOS.put("power-off-lease", new Scenario(FailoverBenchmark::leaseConfig, bed -> bed.powerOff("n1"),
                IN_SERVICE_ON_N2));
        SCENARIOS.put("switchover", new Scenario(witness, bed -> expectOk(bed.run("n1", "lcdremexec", "-d", "n2", "--",
                "perform_action", "-t", BedConfig.TAG, "-a", "restore")), IN_SERVICE_ON_N2));
        SCENARIOS.put("lkstop-n", new Scenario(witness, bed -> expectOk(bed.run("n1", "lkstop", "-n")), IN_SERVICE_ON_N2));
        SCENARIOS.put("disk-path", new Scenario(witness.withDiskPaths(), bed -> bed.cutDiskPath("n1"), IN_SERVICE_ON_N2));
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
            } else if (SCENARIOS.containsKey(args[i]) || args[i].startsWith("footprint") && FOOTPRINTS.contains(args[i])) {
                names.add(args[i]);
            } else {
                System.err.println("usage: failover.sh [-n ROUNDS] [SCENARIO...]   scenarios: "
                        + String.join(", ", SCENARIOS.keySet()) + ", " + String.join(", ", FOOTPRINTS)
                        + " (default: postmaster-kill footprint)");
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
                table.add(FOOTPRINTS.contains(name) ? footprint(bed, name.equals("footprint-witness")
                        ? BedConfig.twoServers().withWitness() : leaseConfig(bed), rounds)
                        : measure(bed, name, SCENARIOS.get(name), rounds));
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
            bed.startCluster(tuned(scenario.config().apply(bed)));
            try (ScenarioRun run = ScenarioRun.begin(bed, name + "-" + System.currentTimeMillis())) {
                Thread.sleep(1500);
                try {
                    bed.awaitStatus("n1", Duration.ofSeconds(2), st -> Bed.inService(st, "n1"));
                } catch (Exception | AssertionError e) {
                    saveLog(bed, name, i, 0, "(no fault: the hierarchy was not in service on n1)");
                    throw new IllegalStateException("the hierarchy was not in service on n1 before the fault (logs in "
                            + BENCH_LOGS.resolve(name + "-" + i) + ")", e);
                }
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

    /**
     * CPU ticks and context switches (voluntary + involuntary: about one per wake-up) of every
     * thread of {@code pid}, by thread name (threads of one name summed).
     */
    private static Map<String, long[]> threadTicks(long pid) throws java.io.IOException {
        Map<String, long[]> out = new java.util.TreeMap<>();
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/" + pid + "/task"))) {
            for (java.nio.file.Path t : tasks.toList()) {
                try {
                    String stat = java.nio.file.Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+$", "#");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long switches = java.nio.file.Files.readString(t.resolve("status")).lines()
                            .filter(l -> l.contains("ctxt_switches:"))
                            .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).sum();
                    out.merge(name, new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), switches},
                            (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
                } catch (java.io.IOException | RuntimeException gone) {
                    // the thread ended while read
                }
            }
        }
        return out;
    }

    /** The thread ids of {@code pid} (as strings, with a dummy value). */
    private static Map<String, Long> threadIds(long pid) throws java.io.IOException {
        Map<String, Long> out = new java.util.HashMap<>();
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/" + pid + "/task"))) {
            tasks.forEach(t -> out.put(t.getFileName().toString(), 0L));
        }
        return out;
    }

    private static String threadName(long pid, String tid) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/task/" + tid + "/comm")).strip();
        } catch (java.io.IOException gone) {
            return "?";
        }
    }

    private static final java.nio.file.Path BENCH_LOGS = java.nio.file.Path.of("/var/tmp/vigil-bench");

    /**
     * n2's main log from the fault on, for reading where the time went, and every server's logs (the
     * guard's among them) in a directory of the round: under /var/tmp/vigil-bench/.
     */
    private static void saveLog(Bed bed, String name, int round, long mark, String faultAt) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Files.createDirectories(BENCH_LOGS);
        java.nio.file.Files.writeString(dir.resolve(name + "-" + round + "-n2.log"), "fault at " + faultAt + "\n"
                + bed.logSince("n2", "vigil.log", mark));
        TestHost.sh("rm", "-rf", dir.resolve(name + "-" + round).toString());
        bed.saveLogs(dir.resolve(name + "-" + round));
        String server = name.equals("postmaster-kill") ? "n1" : "n2";
        java.nio.file.Files.writeString(dir.resolve(name + "-" + round + "-pg.log"), bed.machine(server).sh("sh", "-c",
                "tail -n 80 " + bed.dataDir().resolve("postgresql.log") + " 2>&1"));
    }

    /** How long the daemons run before the footprint is measured: startup and the JIT compiler's warm-up. */
    private static final int SETTLE_SECONDS = Integer.parseInt(System.getenv().getOrDefault("VIGIL_BENCH_SETTLE", "90"));
    /** One footprint window; the footprint takes as many as the benchmark's rounds (at least 3). */
    private static final int WINDOW_SECONDS = 30;

    /**
     * Resident memory and CPU of every idle daemon (and of its fencing guard, a process of its own)
     * over several windows of {@link #WINDOW_SECONDS}, the hierarchy in service on n1, no client,
     * after {@link #SETTLE_SECONDS}: each window's figures, then per daemon the median and the
     * worst, and where its threads spent the time over all windows.
     */
    private static String footprint(Bed bed, BedConfig config, int rounds) throws Exception {
        bed.startCluster(tuned(config));
        Thread.sleep(SETTLE_SECONDS * 1000L);
        String setup = config.witness() ? "witness n3, quorum" : "disk lease";
        List<String> servers = List.copyOf(config.servers().keySet());
        Map<String, long[]> pids = new LinkedHashMap<>();
        Map<String, Map<String, long[]>> threadsBefore = new LinkedHashMap<>();
        Map<String, Map<String, Long>> tidsStart = new LinkedHashMap<>();
        Map<String, long[]> childStart = new LinkedHashMap<>();
        for (String s : servers) {
            long pid = bed.daemonPid(s);
            pids.put(s, new long[] {pid, bed.guardPid(s).orElse(-1L)});
            threadsBefore.put(s, threadTicks(pid));
            tidsStart.put(s, threadIds(pid));
            childStart.put(s, new long[] {ProcFs.childTicks(pid)});
        }
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        Map<String, List<Double>> guardCpu = new LinkedHashMap<>();
        Map<String, Long> rss = new LinkedHashMap<>();
        Map<String, Long> guardRss = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        for (int w = 1; w <= Math.max(3, rounds); w++) {
            Map<String, long[]> before = new LinkedHashMap<>();
            for (String s : servers) {
                long[] p = pids.get(s);
                before.put(s, new long[] {ProcFs.cpuTicks(p[0]), p[1] > 0 ? ProcFs.cpuTicks(p[1]) : 0});
            }
            long w0 = System.nanoTime();
            Thread.sleep(WINDOW_SECONDS * 1000L);
            double seconds = (System.nanoTime() - w0) / 1e9;
            StringBuilder line = new StringBuilder(String.format("footprint (%s) window %d (%.0f s):", setup, w, seconds));
            for (String s : servers) {
                long[] p = pids.get(s);
                double c = (ProcFs.cpuTicks(p[0]) - before.get(s)[0]) / seconds;
                cpu.computeIfAbsent(s, k -> new ArrayList<>()).add(c);
                rss.merge(s, ProcFs.rssKib(p[0]) / 1024, Math::max);
                line.append(String.format(" %s %.2f %%", s, c));
                if (p[1] > 0) {
                    double g = (ProcFs.cpuTicks(p[1]) - before.get(s)[1]) / seconds;
                    guardCpu.computeIfAbsent(s, k -> new ArrayList<>()).add(g);
                    guardRss.merge(s, ProcFs.rssKib(p[1]) / 1024, Math::max);
                    line.append(String.format(" (guard %.2f %%)", g));
                }
            }
            System.out.println(line);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        StringBuilder out = new StringBuilder();
        for (String s : servers) {
            long pid = pids.get(s)[0];
            String line = String.format("footprint (%s): daemon on %s (%s), %d windows of %d s: RSS %d MiB, CPU median %.2f %% "
                            + "worst %.2f %% of one core", setup, s,
                    s.equals("n1") ? "hierarchy in service" : s.equals("n2") ? "standby" : "witness",
                    cpu.get(s).size(), WINDOW_SECONDS, rss.get(s), median(cpu.get(s)), worst(cpu.get(s)));
            if (guardCpu.containsKey(s)) {
                line += String.format("; its guard: RSS %d MiB, CPU median %.2f %% worst %.2f %%", guardRss.get(s),
                        median(guardCpu.get(s)), worst(guardCpu.get(s)));
            }
            System.out.println(line);
            out.append(out.length() == 0 ? "" : "\n").append(line);
            Map<String, long[]> before = threadsBefore.get(s);
            Map<String, long[]> after = threadTicks(pid);
            long wakeups = after.entrySet().stream().mapToLong(t -> t.getValue()[1]
                    - before.getOrDefault(t.getKey(), new long[2])[1]).sum();
            System.out.printf("    %.0f thread wake-ups (context switches) per second; children (checks' processes) %.2f %% of one core%n",
                    wakeups / seconds, (ProcFs.childTicks(pid) - childStart.get(s)[0]) / 100.0 / seconds * 100);
            Map<String, Long> tidsBefore = tidsStart.get(s);
            Map<String, Long> tidsAfter = threadIds(pid);
            long born = tidsAfter.keySet().stream().filter(t -> !tidsBefore.containsKey(t)).count();
            long died = tidsBefore.keySet().stream().filter(t -> !tidsAfter.containsKey(t)).count();
            System.out.printf("    threads: %d then %d; %d started and %d ended meanwhile %s%n", tidsBefore.size(),
                    tidsAfter.size(), born, died, tidsAfter.keySet().stream().filter(t -> !tidsBefore.containsKey(t))
                            .map(t -> threadName(pid, t)).distinct().limit(8).toList());
            after.entrySet().stream()
                    .map(t -> Map.entry(t.getKey(), new long[] {t.getValue()[0] - before.getOrDefault(t.getKey(), new long[2])[0],
                            t.getValue()[1] - before.getOrDefault(t.getKey(), new long[2])[1]}))
                    .filter(t -> t.getValue()[0] > 0 || t.getValue()[1] > seconds)
                    .sorted((a, b) -> Long.compare(b.getValue()[0] * 1000 + b.getValue()[1], a.getValue()[0] * 1000 + a.getValue()[1]))
                    .limit(14)
                    .forEach(t -> System.out.printf("    thread %-40s %6.2f %% of one core %7.1f wake-ups/s%n", t.getKey(),
                            t.getValue()[0] / 100.0 / seconds * 100, t.getValue()[1] / seconds));
        }
        return out.toString();
    }

    /**
     * The scenario's configuration with the HOCON of the environment variable VIGIL_BENCH_CONF
     * added for every server (comparing settings, e.g. slower heartbeats); unset: unchanged.
     */
    private static BedConfig tuned(BedConfig config) {
        String more = System.getenv().getOrDefault("VIGIL_BENCH_CONF", "");
        return more.isBlank() ? config : config.extra(config.extra() + more + "\n");
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
    }

    private static double worst(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
