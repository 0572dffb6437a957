package dev.vigil.guard.fence;

import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Carries out a fence list in the order that makes the shared disk safe first: SIGKILL the
 * processes (and wait until they are gone), then kill whatever else uses each mount point and
 * unmount it, then delete the addresses. Each step is logged the moment it is done, so a fence
 * that hangs shows where.
 */
public final class Fencer {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final long MIN_HOLDER_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * What one fence did.
     *
     * @param steps what was done, in order, one phrase each ("killed postmaster pid 1234")
     * @param problems what could not be done; empty when the fence is complete
     * @param processesGoneNanos from the start of the fence until every killed process was gone
     * @param totalNanos the whole fence
     */
    public record Report(List<String> steps, List<String> problems, long processesGoneNanos, long totalNanos) {
        public boolean complete() {
            return problems.isEmpty();
        }

        public String summary() {
            List<String> all = new ArrayList<>(steps);
            problems.forEach(p -> all.add("FAILED: " + p));
            return all.isEmpty() ? "nothing to fence" : String.join("; ", all);
        }
    }

    private final Consumer<String> log;

    /** @param log receives each step as it is done */
    public Fencer(Consumer<String> log) {
        this.log = log;
    }

    public Report fence(FenceList list, Duration fenceTimeout) {
        long start = System.nanoTime();
        long deadline = start + fenceTimeout.toNanos();
        List<String> steps = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        ProcessKiller.Outcome killed = ProcessKiller.kill(list.kills());
        killed.steps().forEach(s -> step(steps, s));
        List<ProcStat> alive = ProcessKiller.awaitGone(killed.victims(), deadline);
        long gone = System.nanoTime() - start;
        if (!alive.isEmpty()) {
            problem(problems, "still running after SIGKILL: " + String.join(", ", alive.stream()
                    .map(p -> p.describe(null) + " (state " + ProcStat.read(p.pid()).map(ProcStat::state).orElse('?')
                            + ")").toList()));
        }
        for (String mountPoint : list.mounts()) {
            unmount(mountPoint, deadline, steps, problems);
        }
        for (FenceList.AddressTarget a : list.addresses()) {
            removeAddress(a, steps, problems);
        }
        return new Report(steps, problems, gone, System.nanoTime() - start);
    }

    /**
     * Runs every code path of a fence once against nothing (scans of /proc and the mount table, a
     * command spawn, an interface lookup), so that the first real fence does not pay for class
     * loading and lambda bootstraps: measured, that cost is a hundred milliseconds and more.
     */
    public void warmUp() {
        for (int i = 0; i < 3; i++) {
            ProcessKiller.Outcome o = ProcessKiller.kill(List.of(new FenceList.KillTarget(Long.MAX_VALUE, 0, "none")));
            ProcessKiller.awaitGone(new ArrayList<>(o.victims()), System.nanoTime());
            ProcStat.self().ifPresent(ProcStat::gone);
            Mounts.isMounted("/nonexistent/vigil-warm-up");
            Mounts.holders("/nonexistent/vigil-warm-up");
            present(new FenceList.AddressTarget("127.0.0.1/8", "lo", ""));
            Commands.run(List.of("true"), COMMAND_TIMEOUT);
            new Report(List.of("warm-up"), List.of("none"), 0, 0).summary();
        }
    }

    /**
     * SIGKILLs one process and its descendants (a frozen daemon) without waiting for them to be
     * gone: once SIGKILL is pending a process never runs its own code again.
     */
    public List<String> kill(ProcStat process, String label) {
        ProcessKiller.Outcome o = ProcessKiller.kill(List.of(FenceList.KillTarget.of(process, label)));
        o.steps().forEach(log);
        return o.steps();
    }

    /**
     * Undoes what reappeared after a fence (an action of the old owner still in flight when it was
     * fenced): a listed mount point mounted again, or a listed address added again.
     */
    public Report enforce(FenceList list) {
        long start = System.nanoTime();
        List<String> steps = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String mountPoint : list.mounts()) {
            if (Mounts.isMounted(mountPoint)) {
                step(steps, mountPoint + " was mounted again after fencing");
                unmount(mountPoint, start + MIN_HOLDER_WAIT_NANOS, steps, problems);
            }
        }
        for (FenceList.AddressTarget a : list.addresses()) {
            if (present(a)) {
                step(steps, a.cidr() + " was added again after fencing");
                removeAddress(a, steps, problems);
            }
        }
        return new Report(steps, problems, 0, System.nanoTime() - start);
    }

    private void unmount(String mountPoint, long deadline, List<String> steps, List<String> problems) {
        if (!Mounts.isMounted(mountPoint)) {
            step(steps, mountPoint + " was not mounted");
            return;
        }
        List<ProcStat> holders = Mounts.holders(mountPoint);
        if (!holders.isEmpty()) {
            holders.forEach(ProcessKiller::sigkill);
            step(steps, "killed " + holders.size() + " processes using " + mountPoint + " ("
                    + String.join(", ", holders.stream().map(p -> p.describe(null)).toList()) + ")");
            ProcessKiller.awaitGone(holders, Math.max(deadline, System.nanoTime() + MIN_HOLDER_WAIT_NANOS));
        }
        Commands.Result r = Commands.run(List.of("umount", mountPoint), COMMAND_TIMEOUT);
        if (r.ok()) {
            step(steps, "unmounted " + mountPoint);
            return;
        }
        Commands.Result lazy = Commands.run(List.of("umount", "-l", mountPoint), COMMAND_TIMEOUT);
        if (lazy.ok()) {
            problem(problems, "unmounted " + mountPoint + " only lazily (umount said: " + r.output()
                    + "); processes still holding files there keep them");
        } else {
            problem(problems, "could not unmount " + mountPoint + ": " + r.output());
        }
    }

    private void removeAddress(FenceList.AddressTarget a, List<String> steps, List<String> problems) {
        Commands.Result r = Commands.run(ip(a, "addr", "del", a.cidr(), "dev", a.device()), COMMAND_TIMEOUT);
        if (r.ok()) {
            step(steps, "removed " + a.describe());
        } else if (r.output().contains("Cannot assign requested address")) {
            step(steps, a.cidr() + " was not on " + a.device());
        } else {
            problem(problems, "could not remove " + a.describe() + ": " + r.output());
        }
    }

    private static boolean present(FenceList.AddressTarget a) {
        String[] parts = a.cidr().split("/");
        if (!a.netns().isEmpty()) {
            Commands.Result r = Commands.run(ip(a, "-o", "addr", "show", "dev", a.device()), COMMAND_TIMEOUT);
            return r.ok() && (r.output().contains(" inet " + a.cidr() + " ") || r.output().contains(" inet6 " + a.cidr() + " "));
        }
        try {
            NetworkInterface nic = NetworkInterface.getByName(a.device());
            if (nic == null) {
                return false;
            }
            InetAddress address = InetAddress.getByName(parts[0]);
            short prefix = parts.length > 1 ? Short.parseShort(parts[1]) : -1;
            for (InterfaceAddress ia : nic.getInterfaceAddresses()) {
                if (ia.getAddress().equals(address) && (prefix < 0 || ia.getNetworkPrefixLength() == prefix)) {
                    return true;
                }
            }
        } catch (SocketException | UnknownHostException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    private static List<String> ip(FenceList.AddressTarget a, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        if (!a.netns().isEmpty()) {
            cmd.addAll(List.of("-n", a.netns()));
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    private void step(List<String> steps, String s) {
        steps.add(s);
        log.accept(s);
    }

    private void problem(List<String> problems, String s) {
        problems.add(s);
        log.accept("FAILED: " + s);
    }
}
