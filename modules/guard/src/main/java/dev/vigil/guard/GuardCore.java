package dev.vigil.guard;

import dev.vigil.guard.fence.FenceList;
import dev.vigil.guard.fence.Fencer;
import dev.vigil.guard.fence.ProcStat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The guard's state and its watchdog: for each armed name (a hierarchy whose lease this server
 * holds, or its quorum) a deadline that only FEEDs from the daemon move forward. When a deadline
 * passes, when the daemon asks, or when the daemon's connection drops, the name is fenced. A
 * daemon that has been completely silent for the guard-timeout is frozen, not merely unentitled:
 * it is killed too, so it cannot wake up and act on a lease that has run out. After a fence the
 * guard keeps enforcing it (undoing a mount or address that reappears) until the daemon arms or
 * disarms the name again.
 */
final class GuardCore {

    static final long ENFORCE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** A daemon not heard from for this many heartbeats when a deadline passes is frozen, not just unentitled. */
    static final int FROZEN_AFTER_HEARTBEATS = 3;
    private static final Duration REPLY_WAIT_EXTRA = Duration.ofSeconds(10);

    /** One armed name. */
    private static final class Arming {
        final String name;
        FenceList list;
        long timeoutNanos;
        long fenceTimeoutNanos;
        long deadline;
        long lastAnchor;
        String request;
        long requestedAt;
        final CompletableFuture<String> done = new CompletableFuture<>();

        Arming(String name) {
            this.name = name;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Arming> armed = new TreeMap<>();
    private final Map<String, FenceList> enforced = new TreeMap<>();
    private final Map<String, String> lastFence = new TreeMap<>();
    private final Set<String> fencing = new HashSet<>();
    private final GuardLog log;
    private final Fencer fencer;
    private ProcStat daemon;
    private long lastHeard;
    private long heartbeatNanos;
    private long nextEnforce;

    GuardCore(GuardLog log) {
        this.log = log;
        this.fencer = new Fencer(step -> log.info("FENCING: " + step));
    }

    /** Prepares the fence path so that the first fence is as fast as the later ones. */
    void warmUp() {
        long start = System.nanoTime();
        fencer.warmUp();
        status();
        log.info("fence path warmed up in " + ms(System.nanoTime() - start) + " ms");
    }

    String hello(long pid, long startTicks, long clientNanos, long heartbeatMs) {
        long now = System.nanoTime();
        long skew = now - clientNanos;
        if (skew < 0 || skew > TimeUnit.SECONDS.toNanos(10)) {
            return "ERR the daemon's monotonic clock differs from the guard's by " + ms(skew)
                    + " ms: both must run in the same time namespace";
        }
        if (heartbeatMs <= 0) {
            return "ERR heartbeat interval must be positive";
        }
        Optional<ProcStat> p = ProcStat.read(pid);
        if (p.isEmpty() || p.get().startTicks() != startTicks) {
            return "ERR no process pid " + pid + " started at tick " + startTicks + " in the guard's PID namespace";
        }
        lock.lock();
        try {
            daemon = p.get();
            heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(heartbeatMs);
            lastHeard = now;
            log.info("daemon pid " + pid + " connected; armed: " + names(armed.keySet()) + ", fenced: "
                    + names(enforced.keySet()));
            return "OK vigil-guard pid " + ProcessHandle.current().pid() + " armed " + names(armed.keySet())
                    + " fenced " + names(enforced.keySet());
        } finally {
            lock.unlock();
        }
    }

    String arm(String name, long timeoutMs, long fenceTimeoutMs, long anchor, FenceList list) {
        long now = System.nanoTime();
        long timeout = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        if (timeoutMs <= 0 || fenceTimeoutMs <= 0) {
            return "ERR guard-timeout and fence-timeout must be positive";
        }
        if (anchor > now) {
            return "ERR anchor lies " + ms(anchor - now) + " ms in the future";
        }
        if (anchor + timeout <= now) {
            return "ERR anchor is " + ms(now - anchor) + " ms old, beyond guard-timeout " + timeoutMs
                    + " ms: the entitlement has run out; not armed";
        }
        lock.lock();
        try {
            if (daemon == null) {
                return "ERR say HELLO first";
            }
            if (fencing.contains(name)) {
                return "ERR \"" + name + "\" is being fenced right now";
            }
            if (FROZEN_AFTER_HEARTBEATS * heartbeatNanos >= timeout) {
                return "ERR guard-timeout " + timeoutMs + " ms is too short for the daemon's heartbeat every "
                        + ms(heartbeatNanos) + " ms (it must exceed " + FROZEN_AFTER_HEARTBEATS + " heartbeats)";
            }
            Arming a = armed.get(name);
            boolean fresh = a == null;
            if (fresh) {
                a = new Arming(name);
                armed.put(name, a);
            }
            boolean changedList = fresh || !a.list.equals(list);
            a.list = list;
            a.timeoutNanos = timeout;
            a.fenceTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(fenceTimeoutMs);
            a.deadline = Math.max(fresh ? 0 : a.deadline, anchor + timeout);
            a.lastAnchor = Math.max(a.lastAnchor, anchor);
            enforced.remove(name);
            if (changedList) {
                log.info((fresh ? "ARMED \"" : "RE-ARMED \"") + name + "\" (guard-timeout " + timeoutMs
                        + " ms, fence-timeout " + fenceTimeoutMs + " ms): will fence " + list.describe());
            }
            changed.signalAll();
            return "OK armed " + name + " deadline-in " + ms(a.deadline - now);
        } finally {
            lock.unlock();
        }
    }

    String feed(String name, long anchor) {
        long now = System.nanoTime();
        lock.lock();
        try {
            Arming a = armed.get(name);
            if (a == null) {
                String fence = lastFence.get(name);
                return fence != null && !fencing.contains(name) ? "ERR \"" + name + "\" was fenced: " + fence
                        : "ERR \"" + name + "\" is not armed" + (fencing.contains(name) ? " (fencing now)" : "");
            }
            if (a.deadline <= now || a.request != null) {
                return "ERR \"" + name + "\" is being fenced: the deadline passed " + ms(now - a.deadline) + " ms ago";
            }
            if (anchor > now) {
                return "ERR anchor lies " + ms(anchor - now) + " ms in the future";
            }
            if (anchor + a.timeoutNanos > a.deadline) {
                a.deadline = anchor + a.timeoutNanos;
                a.lastAnchor = anchor;
            }
            return "OK deadline-in " + ms(a.deadline - now);
        } finally {
            lock.unlock();
        }
    }

    /** Fences {@code name} now, at the daemon's request; returns when done. */
    String fenceNow(String name, String reason) {
        CompletableFuture<String> done;
        long wait;
        lock.lock();
        try {
            Arming a = armed.get(name);
            if (a == null) {
                return "ERR \"" + name + "\" is not armed";
            }
            if (a.request == null) {
                a.request = "daemon requested it: " + reason;
                a.requestedAt = System.nanoTime();
            }
            done = a.done;
            wait = a.fenceTimeoutNanos;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            return "OK " + done.get(wait + REPLY_WAIT_EXTRA.toNanos(), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            return "ERR fence of \"" + name + "\" did not finish: " + e;
        }
    }

    String disarm(String name) {
        lock.lock();
        try {
            if (name.equals("*") ? !fencing.isEmpty() : fencing.contains(name)) {
                return "ERR fencing in progress: " + names(fencing);
            }
            List<String> gone = new ArrayList<>();
            for (String n : new ArrayList<>(armed.keySet())) {
                if (name.equals("*") || n.equals(name)) {
                    log.info("DISARMED \"" + n + "\": forgot fence list " + armed.remove(n).list.describe());
                    gone.add(n);
                }
            }
            enforced.keySet().removeIf(n -> name.equals("*") || n.equals(name));
            changed.signalAll();
            return "OK disarmed " + names(gone);
        } finally {
            lock.unlock();
        }
    }

    String status() {
        long now = System.nanoTime();
        lock.lock();
        try {
            List<String> a = armed.values().stream().map(x -> x.name + ":" + ms(x.deadline - now) + "ms").toList();
            return "OK armed " + names(a) + " fenced " + names(enforced.keySet()) + " daemon "
                    + (daemon == null ? "none" : Long.toString(daemon.pid()));
        } finally {
            lock.unlock();
        }
    }

    void heard() {
        lock.lock();
        try {
            lastHeard = System.nanoTime();
        } finally {
            lock.unlock();
        }
    }

    /** The daemon's connection closed: whatever is still armed is fenced now. */
    void disconnected() {
        lock.lock();
        try {
            long now = System.nanoTime();
            if (daemon != null) {
                log.info("daemon pid " + daemon.pid() + " disconnected" + (armed.isEmpty() ? ""
                        : " while armed for " + names(armed.keySet())));
            }
            daemon = null;
            for (Arming a : armed.values()) {
                if (a.request == null) {
                    a.request = "daemon connection lost (daemon died?)";
                    a.requestedAt = now;
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean idle() {
        lock.lock();
        try {
            return armed.isEmpty() && fencing.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** The watchdog thread's body: sleeps until the next deadline, fences what is due, enforces. */
    void watch() {
        lock.lock();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                long now = System.nanoTime();
                List<Arming> due = List.of();
                long wake = Long.MAX_VALUE;
                for (Arming a : armed.values()) {
                    if (a.request != null || a.deadline <= now) {
                        due = due.isEmpty() ? new ArrayList<>() : due;
                        due.add(a);
                    }
                    wake = Math.min(wake, a.deadline);
                }
                if (!due.isEmpty()) {
                    due.forEach(a -> {
                        armed.remove(a.name);
                        fencing.add(a.name);
                    });
                    boolean expired = false;
                    for (Arming a : due) {
                        expired |= a.request == null;
                    }
                    ProcStat frozen = daemon != null && expired
                            && now - lastHeard >= FROZEN_AFTER_HEARTBEATS * heartbeatNanos ? daemon : null;
                    long silentFor = now - lastHeard;
                    lock.unlock();
                    try {
                        fenceAll(due, frozen, silentFor, now);
                    } finally {
                        lock.lock();
                    }
                    continue;
                }
                if (!enforced.isEmpty() && now >= nextEnforce) {
                    Map<String, FenceList> lists = new TreeMap<>(enforced);
                    nextEnforce = now + ENFORCE_EVERY_NANOS;
                    lock.unlock();
                    try {
                        lists.forEach(this::enforce);
                    } finally {
                        lock.lock();
                    }
                    continue;
                }
                if (!enforced.isEmpty()) {
                    wake = Math.min(wake, nextEnforce);
                }
                if (wake == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    changed.awaitNanos(wake - now);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void fenceAll(List<Arming> due, ProcStat frozen, long silentFor, long detectedAt) {
        if (frozen != null) {
            log.warn("FENCING: daemon pid " + frozen.pid() + " silent for " + ms(silentFor)
                    + " ms (frozen?): killing it so that it cannot act when it wakes up" + GuardLog.at());
            fencer.kill(frozen, "daemon");
        }
        for (Arming a : due) {
            boolean timedOut = a.request == null;
            String why = timedOut ? "daemon stopped renewing for " + ms(detectedAt - a.lastAnchor) + " ms" : a.request;
            long trigger = timedOut ? a.deadline : a.requestedAt;
            long fenceStart = System.nanoTime();
            Fencer.Report r = fencer.fence(a.list, Duration.ofNanos(a.fenceTimeoutNanos));
            long goneAfter = fenceStart - trigger + r.processesGoneNanos();
            long whole = fenceStart - trigger + r.totalNanos();
            String summary = "FENCING \"" + a.name + "\": " + why + "; " + r.summary() + GuardLog.at();
            String latency = "FENCING \"" + a.name + "\" " + (r.complete() ? "COMPLETE" : "INCOMPLETE") + ": started "
                    + ms(fenceStart - trigger) + " ms after the " + (timedOut ? "deadline" : "trigger")
                    + ", processes gone after " + ms(goneAfter) + " ms, whole fence "
                    + ms(whole) + " ms (fence-timeout " + ms(a.fenceTimeoutNanos) + " ms)";
            if (r.complete()) {
                log.warn(summary);
                log.info(latency);
            } else {
                log.error(summary);
                log.error(latency);
            }
            if (whole > a.fenceTimeoutNanos) {
                log.error("FENCING \"" + a.name + "\" took longer than fence-timeout: the safety margin of the"
                        + " lease timings was used up");
            }
            lock.lock();
            try {
                fencing.remove(a.name);
                lastFence.put(a.name, summary);
                if (!armed.containsKey(a.name)) {
                    enforced.put(a.name, a.list);
                }
                nextEnforce = System.nanoTime() + ENFORCE_EVERY_NANOS;
            } finally {
                lock.unlock();
            }
            a.done.complete(summary + " (processes gone after " + ms(goneAfter) + " ms)");
        }
    }

    private void enforce(String name, FenceList list) {
        Fencer.Report r = fencer.enforce(list);
        if (!r.steps().isEmpty() || !r.complete()) {
            log.warn("FENCING \"" + name + "\" again: " + r.summary() + GuardLog.at());
        }
    }

    private static String names(java.util.Collection<String> names) {
        return names.isEmpty() ? "-" : String.join(",", names);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
