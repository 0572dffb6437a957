package dev.vigil.daemon.sim;

import dev.vigil.core.ResourceType;
import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.config.ResourceConfig;
import dev.vigil.daemon.cluster.fencing.Fencing;
import dev.vigil.kits.ActionResult;
import dev.vigil.kits.CheckResult;
import dev.vigil.kits.FailureKind;
import dev.vigil.kits.KitEvent;
import dev.vigil.kits.Presence;
import dev.vigil.kits.RecoveryKit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The in-memory test kit of the cluster failure simulations: every resource of every simulated
 * server is a flag in this world, and every restore, remove, recover and fence is recorded with
 * its time. The invariant checker runs on every change: a hierarchy in service (any resource of it
 * running) on two servers at once, or a restore of a hierarchy starting on one server while a
 * remove of it is still running on another, is recorded as a violation that the test asserts
 * empty. A server "powered off" loses everything it ran; a fenced one, the fenced hierarchy.
 */
final class SimWorld {
    /** One recorded action: who, what, which hierarchy, when (ms since the world began). */
    record Event(long atMillis, String server, String action, String resource) {
    }

    private final long start = System.nanoTime();
    private final Map<String, String> hierarchyOf = new HashMap<>();
    private final Set<String> running = new HashSet<>(); // "server/resource"
    private final Map<String, String> removing = new HashMap<>(); // "server/hierarchy" -> resource being removed
    private final Set<String> failing = new HashSet<>(); // "server/resource" whose check and recover fail
    private final Map<String, Long> slow = new HashMap<>(); // server -> extra ms per restore
    private final Set<String> poweredOff = new HashSet<>(); // until its daemon starts again
    private final Map<String, Long> feedStalls = new HashMap<>(); // server -> ms its next guard feed hangs
    private final Map<String, SimFencing> guards = new HashMap<>(); // server -> its daemon's latest guard
    private final Set<String> refusingArms = new HashSet<>(); // servers whose guard refuses to arm
    private final Map<String, Integer> armRequests = new HashMap<>(); // server -> arm requests so far
    private final List<Event> events = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final ScheduledExecutorService fenceClock = Executors.newSingleThreadScheduledExecutor();

    SimWorld(List<HierarchyConfig> hierarchies) {
        for (HierarchyConfig h : hierarchies) {
            for (ResourceConfig r : h.resources()) {
                hierarchyOf.put(r.tag(), h.tag());
            }
        }
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** The servers on which anything of {@code hierarchy} runs now. */
    synchronized Set<String> runningOn(String hierarchy) {
        Set<String> servers = new HashSet<>();
        for (String key : running) {
            String[] sr = key.split("/", 2);
            if (hierarchy.equals(hierarchyOf.get(sr[1]))) {
                servers.add(sr[0]);
            }
        }
        return servers;
    }

    /** Whether every resource of {@code hierarchy} runs on {@code server}. */
    synchronized boolean fullyOn(String server, String hierarchy) {
        return hierarchyOf.entrySet().stream().filter(e -> e.getValue().equals(hierarchy))
                .allMatch(e -> running.contains(server + "/" + e.getKey()));
    }

    /** The server loses power: everything it ran is gone. */
    synchronized void powerOff(String server) {
        poweredOff.add(server);
        running.removeIf(k -> k.startsWith(server + "/"));
        record(server, "power-off", "*");
    }

    /** The resource dies on {@code server} and can be neither checked healthy nor recovered there. */
    synchronized void breakResource(String server, String resource) {
        failing.add(server + "/" + resource);
        running.remove(server + "/" + resource);
        record(server, "break", resource);
    }

    /**
     * The next guard feed of {@code server}'s daemon hangs for {@code time} (the daemon is held up:
     * its placement's thread stops there, as a long pause or starved threads would stop it).
     */
    synchronized void stallNextFeed(String server, java.time.Duration time) {
        feedStalls.put(server, time.toMillis());
    }

    private synchronized long takeFeedStall(String server) {
        Long ms = feedStalls.remove(server);
        return ms == null ? 0 : ms;
    }

    /** Every restore on {@code server} takes {@code time} from now on (a slow start). */
    synchronized void slowRestores(String server, java.time.Duration time) {
        slow.put(server, time.toMillis());
    }

    void close() {
        fenceClock.shutdownNow();
    }

    private void record(String server, String action, String resource) {
        events.add(new Event((System.nanoTime() - start) / 1_000_000, server, action, resource));
    }

    private void check(String server, String resource, String when) {
        String h = hierarchyOf.get(resource);
        Set<String> on = runningOn(h);
        on.add(server);
        if (on.size() > 1) {
            violations.add(when + " " + resource + " on " + server + ": hierarchy " + h + " runs on " + on
                    + " at " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
        for (Map.Entry<String, String> r : removing.entrySet()) {
            String[] sh = r.getKey().split("/", 2);
            if (!sh[0].equals(server) && sh[1].equals(h)) {
                violations.add(when + " " + resource + " on " + server + " overlaps the remove of " + r.getValue()
                        + " on " + sh[0]);
            }
        }
    }

    /** The kit of {@code resource} on {@code server}. */
    synchronized RecoveryKit kit(String server, ResourceConfig resource) {
        poweredOff.remove(server);
        return new Kit(server, resource);
    }

    /** The in-memory guard of {@code server}: fences a hierarchy whose deadline passed, or on request. */
    Fencing fencing(String server, long guardTimeoutMillis) {
        SimFencing f = new SimFencing(server, guardTimeoutMillis);
        synchronized (this) {
            guards.put(server, f);
        }
        return f;
    }

    /** {@code server}'s guard refuses ({@code true}) or accepts every request to arm from now on. */
    synchronized void refuseArms(String server, boolean refuse) {
        if (refuse) {
            refusingArms.add(server);
        } else {
            refusingArms.remove(server);
        }
    }

    /** How many times {@code server}'s daemon asked its guard to arm, so far. */
    synchronized int armRequests(String server) {
        return armRequests.getOrDefault(server, 0);
    }

    private synchronized boolean armRequested(String server) {
        armRequests.merge(server, 1, Integer::sum);
        return !refusingArms.contains(server);
    }

    /** Whether {@code server}'s (latest) in-memory guard is armed for {@code hierarchy}. */
    boolean guarded(String server, String hierarchy) {
        SimFencing f;
        synchronized (this) {
            f = guards.get(server);
        }
        return f != null && f.armed(hierarchy);
    }

    private final class Kit implements RecoveryKit {
        private final String server;
        private final ResourceConfig resource;
        private final String key;

        Kit(String server, ResourceConfig resource) {
            this.server = server;
            this.resource = resource;
            this.key = server + "/" + resource.tag();
        }

        @Override
        public ActionResult restore() {
            synchronized (SimWorld.this) {
                record(server, "restore", resource.tag());
                check(server, resource.tag(), "restore");
                if (failing.contains(key)) {
                    return ActionResult.failed(FailureKind.FAILED, "simulated failure of " + resource.tag());
                }
            }
            long extra;
            synchronized (SimWorld.this) {
                extra = slow.getOrDefault(server, 0L);
            }
            pause(extra);
            synchronized (SimWorld.this) {
                if (poweredOff.contains(server)) {
                    return ActionResult.failed(FailureKind.FAILED, "the server lost power");
                }
                check(server, resource.tag(), "restore end");
                running.add(key);
            }
            pause(0);
            return ActionResult.success("started (in memory)");
        }

        @Override
        public ActionResult remove() {
            String h = hierarchyOf.get(resource.tag());
            synchronized (SimWorld.this) {
                record(server, "remove", resource.tag());
                removing.put(server + "/" + h, resource.tag());
            }
            pause(0);
            synchronized (SimWorld.this) {
                running.remove(key);
                removing.remove(server + "/" + h);
            }
            return ActionResult.success("stopped (in memory)");
        }

        @Override
        public CheckResult quickCheck() {
            synchronized (SimWorld.this) {
                if (running.contains(key)) {
                    return CheckResult.healthy();
                }
            }
            return CheckResult.failed(KitEvent.of(ResourceType.GENERIC, "fail"), FailureKind.FAILED,
                    resource.tag() + " is not running (in memory)");
        }

        @Override
        public ActionResult recover() {
            synchronized (SimWorld.this) {
                record(server, "recover", resource.tag());
                if (failing.contains(key)) {
                    return ActionResult.failed(FailureKind.FAILED, "simulated failure of " + resource.tag());
                }
                check(server, resource.tag(), "recover");
                running.add(key);
            }
            return ActionResult.success("recovered (in memory)");
        }

        @Override
        public Presence probe() {
            synchronized (SimWorld.this) {
                return running.contains(key) ? Presence.RUNNING : Presence.STOPPED;
            }
        }

        private void pause(long extraMillis) {
            try {
                Thread.sleep(20 + extraMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class SimFencing implements Fencing {
        private final String server;
        private final long guardTimeoutNanos;
        private final Map<String, Long> deadlines = new HashMap<>();

        SimFencing(String server, long guardTimeoutMillis) {
            this.server = server;
            this.guardTimeoutNanos = guardTimeoutMillis * 1_000_000;
            fenceClock.scheduleWithFixedDelay(this::expire, 10, 10, TimeUnit.MILLISECONDS);
        }

        private synchronized void expire() {
            long now = System.nanoTime();
            deadlines.entrySet().removeIf(e -> {
                if (now - e.getValue() > 0) {
                    fence(e.getKey(), "deadline passed");
                    return true;
                }
                return false;
            });
        }

        private void fence(String hierarchy, String why) {
            synchronized (SimWorld.this) {
                boolean any = running.removeIf(k -> k.startsWith(server + "/")
                        && hierarchy.equals(hierarchyOf.get(k.substring(server.length() + 1))));
                if (any) {
                    record(server, "fence (" + why + ")", hierarchy);
                }
            }
        }

        synchronized boolean armed(String tag) {
            return deadlines.containsKey(tag);
        }

        @Override
        public boolean arm(String tag, long anchorNanos) {
            if (!armRequested(server)) {
                return false;
            }
            synchronized (this) {
                deadlines.put(tag, anchorNanos + guardTimeoutNanos);
            }
            return true;
        }

        @Override
        public boolean feed(String tag, long anchorNanos) {
            long stall = takeFeedStall(server);
            if (stall > 0) {
                synchronized (SimWorld.this) {
                    record(server, "stall", tag);
                }
                try {
                    Thread.sleep(stall);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (this) {
                deadlines.computeIfPresent(tag, (t, d) -> Math.max(d, anchorNanos + guardTimeoutNanos));
            }
            return true;
        }

        @Override
        public boolean refresh(String tag, long anchorNanos) {
            return feed(tag, anchorNanos);
        }

        @Override
        public synchronized boolean disarm(String tag) {
            deadlines.remove(tag);
            return true;
        }

        @Override
        public synchronized boolean fenceNow(String tag, String reason) {
            deadlines.remove(tag);
            fence(tag, reason);
            return true;
        }

        @Override
        public synchronized void close() {
            deadlines.clear();
        }
    }
}
