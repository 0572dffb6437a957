package dev.vigil.core.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.ServerState;
import dev.vigil.core.ShutdownStrategy;
import dev.vigil.core.Switchback;
import dev.vigil.core.config.HierarchyConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Property-style checks over many generated inputs (fixed seeds, so a failure is reproducible):
 * never two servers told to run it, never a RESTORE where it is unsafe, generations only grow.
 */
class PlacementInvariantTest {

    private static final HierarchyReport[] REPORTS = HierarchyReport.values();
    private static final FailureKind[] KINDS = FailureKind.values();

    private static HierarchyConfig randomHierarchy(Random r, int servers) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= servers; i++) {
            names.add("n" + i);
        }
        Collections.shuffle(names, r);
        Map<String, Integer> priorities = new LinkedHashMap<>();
        int p = 0;
        for (String n : names) {
            p += 1 + r.nextInt(10);
            priorities.put(n, p);
        }
        return new HierarchyConfig(Fixture.TAG, priorities, r.nextBoolean() ? Switchback.AUTOMATIC : Switchback.INTELLIGENT,
                List.of());
    }

    private static ServerView randomView(Random r, String name) {
        HierarchyReport report = REPORTS[r.nextInt(REPORTS.length - 1)]; // MAINTENANCE is rarer: below
        if (r.nextInt(20) == 0) {
            report = HierarchyReport.MAINTENANCE;
        }
        Optional<Failure> failure = report == HierarchyReport.FAILED || r.nextInt(4) == 0
                ? Optional.of(new Failure(KINDS[r.nextInt(KINDS.length)], "kit said no")) : Optional.empty();
        Optional<Shutdown> shutdown = r.nextInt(5) == 0 ? Optional.of(new Shutdown(StopMode.values()[r.nextInt(3)],
                r.nextBoolean() ? ShutdownStrategy.SWITCHOVER : ShutdownStrategy.DO_NOT_SWITCHOVER)) : Optional.empty();
        return new ServerView(name, r.nextInt(3) == 0 ? ServerState.DEAD : ServerState.ALIVE, 1 + r.nextInt(3),
                r.nextInt(5) != 0, r.nextBoolean(), report, failure, shutdown, r.nextBoolean());
    }

    private static PlacementInput randomInput(Random r) {
        int servers = 1 + r.nextInt(5);
        HierarchyConfig h = randomHierarchy(r, servers);
        List<ServerView> views = new ArrayList<>();
        for (String s : h.priorities().keySet()) {
            views.add(randomView(r, s));
        }
        List<String> names = new ArrayList<>(h.priorities().keySet());
        OwnerRecord owner = r.nextInt(4) == 0 ? OwnerRecord.none(r.nextInt(100))
                : OwnerRecord.of(names.get(r.nextInt(names.size())), r.nextInt(100));
        Optional<SwitchoverRequest> request = r.nextInt(4) == 0
                ? Optional.of(new SwitchoverRequest(r.nextInt(10) == 0 ? "n9" : names.get(r.nextInt(names.size()))))
                : Optional.empty();
        return new PlacementInput(h, views, owner, request, r.nextInt(30) == 0, r.nextInt(10) == 0, r.nextBoolean());
    }

    @Test
    void noDecisionEverTellsTwoServersToRunItOrRestoresWhereItIsUnsafe() {
        Random r = new Random(4);
        for (int n = 0; n < 50_000; n++) {
            int i = n;
            PlacementInput in = randomInput(r);
            Decision d = PlacementPolicy.decide(in);
            Supplier<String> ctx = () -> "case " + i + ": " + in + " -> " + d;
            assertTrue(d.steps().values().stream().filter(Step::runs).count() <= 1, ctx);
            assertEquals(in.hierarchy().priorities().keySet(), d.steps().keySet(), ctx);
            d.steps().forEach((server, step) -> {
                ServerView v = in.server(server);
                if (step.runs()) {
                    assertEquals(Optional.of(server), d.owner(), ctx);
                }
                if (step == Step.RESTORE) {
                    assertTrue(v.alive() && v.entitled() && v.shutdown().isEmpty(), ctx);
                    for (ServerView other : in.servers()) {
                        if (other != v) {
                            assertTrue(other.alive() ? other.report().surelyStopped() : other.fenced(), ctx);
                        }
                    }
                }
                if (step == Step.REMOVE) {
                    assertTrue(v.alive(), ctx);
                }
            });
            if (d.ownerChanged()) {
                assertEquals(in.owner().generation() + 1, d.generation(), ctx);
                assertFalse(d.owner().equals(in.owner().owner()), ctx);
            } else {
                assertEquals(in.owner().generation(), d.generation(), ctx);
                assertEquals(in.owner().owner(), d.owner(), ctx);
            }
            assertFalse(d.reason().isBlank() || d.reason().contains("\n"), ctx);
            if (in.maintenance()) {
                assertTrue(d.steps().values().stream().allMatch(s -> s == Step.NOTHING), ctx);
            }
        }
    }

    /**
     * Runs a small cluster through random events (crashes, returns, fencing, kit failures, operator
     * requests), applying every decision's steps as a daemon would, and checks after each step
     * that at most one server may be running the hierarchy (in service and not fenced).
     */
    @Test
    void simulatedClustersNeverRunItTwice() {
        Random r = new Random(11);
        for (int run = 0; run < 1_000; run++) {
            HierarchyConfig h = randomHierarchy(r, 2 + r.nextInt(3));
            Map<String, ServerView> views = new LinkedHashMap<>();
            for (String s : h.priorities().keySet()) {
                views.put(s, ServerView.healthy(s));
            }
            OwnerRecord owner = OwnerRecord.none(0);
            long lastGeneration = 0;
            for (int tick = 0; tick < 60; tick++) {
                perturb(r, views);
                Optional<SwitchoverRequest> request = r.nextInt(8) == 0
                        ? Optional.of(new SwitchoverRequest(List.copyOf(views.keySet()).get(r.nextInt(views.size()))))
                        : Optional.empty();
                Decision d = PlacementPolicy.decide(new PlacementInput(h, List.copyOf(views.values()), owner, request,
                        false, false, false));
                assertTrue(d.generation() >= lastGeneration);
                lastGeneration = d.generation();
                owner = new OwnerRecord(d.owner(), d.generation());
                for (Map.Entry<String, Step> e : d.steps().entrySet()) {
                    ServerView v = views.get(e.getKey());
                    if (e.getValue() == Step.RESTORE) {
                        views.put(v.name(), r.nextInt(6) == 0 ? v.failedWith(FailureKind.FAILED, "restore failed")
                                : v.withReport(HierarchyReport.IN_SERVICE));
                    } else if (e.getValue() == Step.REMOVE) {
                        views.put(v.name(), v.withReport(HierarchyReport.OUT_OF_SERVICE));
                    }
                }
                long possiblyRunning = views.values().stream()
                        .filter(v -> v.report() == HierarchyReport.IN_SERVICE && !(!v.alive() && v.fenced())).count();
                int at = run, t = tick;
                assertTrue(possiblyRunning <= 1, () -> "run " + at + " tick " + t + ": " + views.values());
            }
        }
    }

    /** One random event. A DEAD server keeps running what it ran until it is fenced (the guard kills it). */
    private static void perturb(Random r, Map<String, ServerView> views) {
        List<String> names = List.copyOf(views.keySet());
        ServerView v = views.get(names.get(r.nextInt(names.size())));
        ServerView next = switch (r.nextInt(7)) {
            case 0 -> v.withState(ServerState.DEAD).withFenced(false);
            case 1 -> v.alive() ? v : v.fenced()
                    ? ServerView.healthy(v.name()).withRejoined(true) // came back after being fenced: restarted
                    : v.withState(ServerState.ALIVE);                 // partition healed before the lease expired
            case 2 -> v.alive() ? v : v.withFenced(true).withReport(HierarchyReport.OUT_OF_SERVICE);
            case 3 -> v.report() == HierarchyReport.IN_SERVICE && v.alive()
                    ? v.failedWith(KINDS[r.nextInt(KINDS.length)], "check failed") : v;
            case 4 -> v.withEntitled(r.nextInt(3) != 0);
            case 5 -> v.withRejoined(false);
            default -> v;
        };
        views.put(v.name(), next);
    }
}
