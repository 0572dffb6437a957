package dev.vigil.core.placement;

import dev.vigil.core.Switchback;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides where one hierarchy should run, as a pure function of what one server knows
 * ({@link PlacementInput}) — no clock, no I/O, so every server that knows the same facts decides
 * the same, and the rules can be tested exhaustively. It works in two stages:
 * <ol>
 *   <li>{@link Plan}: who should own the hierarchy and whether it should be in service (failover,
 *   switchover, switchback, shutdown strategy, operator removal, maintenance);</li>
 *   <li>{@link #finish}: the step per server from that plan and the reported states. The owner
 *   restores only when every other server surely runs nothing of it (reports out of service, or
 *   is DEAD and fenced) — this is what makes a move two-phase: remove on the old owner first.</li>
 * </ol>
 * The rules, and the choices made where the issue is silent, are in docs/placement.md.
 */
public final class PlacementPolicy {

    private PlacementPolicy() {
    }

    /** Who should own the hierarchy, whether it should be in service, and why. */
    private record Plan(Optional<String> owner, boolean inService, String head, Optional<String> forgiven) {
        static Plan of(Optional<String> owner, boolean inService, String head) {
            return new Plan(owner, inService, head, Optional.empty());
        }

        static Plan of(String owner, boolean inService, String head) {
            return of(Optional.of(owner), inService, head);
        }
    }

    public static Decision decide(PlacementInput in) {
        String tag = in.hierarchy().tag();
        List<ServerView> order = byPriority(in);
        Optional<ServerView> inMaintenance = order.stream()
                .filter(v -> v.report() == HierarchyReport.MAINTENANCE).findFirst();
        if (in.maintenance() || inMaintenance.isPresent()) {
            String why = in.maintenance() ? "it is in maintenance mode"
                    : "it is in maintenance mode on " + inMaintenance.get().name();
            Map<String, Step> steps = order.stream().collect(Collectors.toMap(ServerView::name, v -> Step.NOTHING));
            return new Decision(in.owner().owner(), in.owner().generation(), false, steps,
                    "no placement decisions for " + tag + ": " + why,
                    in.request().map(r -> refusal(tag, r, why)));
        }
        Optional<String> refusal = Optional.empty();
        Plan plan = null;
        if (in.request().isPresent()) {
            SwitchoverRequest r = in.request().get();
            Optional<String> why = refusalCause(in, r.server());
            if (why.isPresent()) {
                refusal = Optional.of(refusal(tag, r, why.get()));
            } else {
                plan = requested(in, r.server());
            }
        }
        if (plan == null) {
            plan = automatic(in, order);
        }
        return finish(in, order, plan, refusal);
    }

    private static String refusal(String tag, SwitchoverRequest r, String why) {
        return "refusing to switch " + tag + " over to " + r.server() + ": " + why;
    }

    /** Priority order, primary first (ties, which validation forbids, broken by name). */
    private static List<ServerView> byPriority(PlacementInput in) {
        return in.hierarchy().priorities().entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> in.server(e.getKey())).toList();
    }

    private static Optional<String> refusalCause(PlacementInput in, String target) {
        if (!in.hierarchy().priorities().containsKey(target)) {
            return Optional.of(target + " is not in its priority list " + in.hierarchy().priorities().keySet());
        }
        ServerView v = in.server(target);
        if (!v.alive()) {
            return Optional.of(Causes.down(v));
        }
        if (!v.entitled()) {
            return Optional.of(target + " is not entitled to run it (no quorum or disk lease)");
        }
        if (v.shutdown().isPresent()) {
            return Optional.of(target + " is shutting down (" + v.shutdown().get().describe() + ")");
        }
        if (v.report() == HierarchyReport.UNKNOWN) {
            return Optional.of(target + " has not reported its state yet");
        }
        return Optional.empty();
    }

    /** An accepted operator request: the target's remembered failure is forgiven (the operator retries there). */
    private static Plan requested(PlacementInput in, String target) {
        String tag = in.hierarchy().tag();
        boolean alreadyOwner = in.owner().owner().filter(target::equals).isPresent();
        String head;
        if (alreadyOwner && in.server(target).report() == HierarchyReport.IN_SERVICE && !in.operatorRemoved()) {
            head = tag + " is already in service on " + target;
        } else if (alreadyOwner) {
            head = "restoring " + tag + " on " + target + " on operator request";
        } else {
            head = "switching " + tag + " over to " + target + " on operator request";
        }
        return new Plan(Optional.of(target), true, head, Optional.of(target));
    }

    private static Plan automatic(PlacementInput in, List<ServerView> order) {
        String tag = in.hierarchy().tag();
        Optional<String> current = in.owner().owner();
        if (in.operatorRemoved()) {
            return Plan.of(current, false,
                    tag + " stays out of service: the operator took it out of service (perform_action -a remove)");
        }
        if (current.isEmpty()) {
            return fromNowhere(in, order);
        }
        ServerView o = in.server(current.get());
        String owner = o.name();
        if (o.shutdown().isPresent()) {
            Shutdown s = o.shutdown().get();
            if (s.leavesRunning()) {
                return Plan.of(owner, true, tag + " stays on " + owner + ", unprotected: " + owner
                        + " was stopped with lkstop -f");
            }
            if (!s.switchesOver()) {
                String head = !o.alive() ? tag + " stays out of service: " + owner + " was stopped"
                        : o.report().surelyStopped() ? tag + " stays out of service: " + owner + " is shutting down"
                        : "taking " + tag + " out of service on " + owner + ": " + owner + " is shutting down";
                return Plan.of(owner, false, head + " (" + s.describe() + ")");
            }
            return moveAway(in, order, o, "switching " + tag + " over to %s: " + owner
                    + (o.alive() ? " is shutting down (" : " was stopped (") + s.describe() + ")");
        }
        if (!o.alive()) {
            return moveAway(in, order, o, "failing over " + tag + " to %s: " + Causes.down(o));
        }
        if (!o.entitled()) {
            return moveAway(in, order, o, "failing over " + tag + " to %s: " + owner
                    + " lost its entitlement (no quorum or disk lease)");
        }
        if (o.failure().isPresent()) {
            Failure f = o.failure().get();
            if (f.kind() == FailureKind.MISCONFIGURED && !in.misconfiguredFailsOver()) {
                return Plan.of(owner, false, tag + " is not failed over: " + owner + " " + f.describe()
                        + "; the same configuration fails on every server: fix it, then run perform_action -t "
                        + tag + " -a restore");
            }
            return moveAway(in, order, o, "failing over " + tag + " to %s: " + owner + " " + f.describe());
        }
        if (o.report() != HierarchyReport.IN_SERVICE) {
            return Plan.of(owner, true, "bringing " + tag + " in service on " + owner);
        }
        return switchback(in, order, o);
    }

    /** A healthy owner in service: automatic switchback may move it up the priority list, never down. */
    private static Plan switchback(PlacementInput in, List<ServerView> order, ServerView o) {
        String tag = in.hierarchy().tag();
        List<ServerView> better = order.subList(0, order.indexOf(o)).stream()
                .filter(v -> candidate(v, Optional.empty())).toList();
        if (better.isEmpty()) {
            return Plan.of(o.name(), true, tag + " is in service on " + o.name());
        }
        if (in.hierarchy().switchback() == Switchback.AUTOMATIC) {
            Optional<ServerView> back = better.stream().filter(ServerView::rejoined).findFirst();
            if (back.isPresent()) {
                return Plan.of(back.get().name(), true,
                        "moving " + tag + " back to " + back.get().name() + " (automatic switchback)");
            }
            return Plan.of(o.name(), true, tag + " stays on " + o.name()
                    + " (automatic switchback happens only when a higher-priority server joins)");
        }
        return Plan.of(o.name(), true, tag + " stays on " + o.name() + " (intelligent switchback)");
    }

    /** No owner: adopt it where it already runs, else bring it up on the best server that can run it. */
    private static Plan fromNowhere(PlacementInput in, List<ServerView> order) {
        String tag = in.hierarchy().tag();
        List<ServerView> candidates = order.stream().filter(v -> candidate(v, Optional.empty())).toList();
        Optional<ServerView> running = candidates.stream()
                .filter(v -> v.report() == HierarchyReport.IN_SERVICE).findFirst();
        if (running.isPresent()) {
            return Plan.of(running.get().name(), true,
                    "adopting " + tag + " on " + running.get().name() + ": it is already in service there");
        }
        if (!candidates.isEmpty()) {
            // A better server that is ALIVE but has not reported yet (it is still starting) may be the
            // one to run it: wait for it rather than start here and move it there later.
            Optional<ServerView> unheard = order.subList(0, order.indexOf(candidates.get(0))).stream()
                    .filter(v -> v.alive() && v.report() == HierarchyReport.UNKNOWN).findFirst();
            if (unheard.isPresent()) {
                return Plan.of(Optional.empty(), false, tag + " waits for " + unheard.get().name()
                        + " (a higher priority) to report its state before it is brought in service");
            }
            return Plan.of(candidates.get(0).name(), true, "bringing " + tag + " in service on "
                    + candidates.get(0).name() + ": the highest-priority server that can run it");
        }
        return Plan.of(Optional.empty(), false, Causes.nowhere(tag, order));
    }

    /** The owner cannot or may not keep it: the best other server, or nowhere. */
    private static Plan moveAway(PlacementInput in, List<ServerView> order, ServerView from, String headFormat) {
        Optional<ServerView> next = order.stream()
                .filter(v -> v != from && candidate(v, Optional.empty())).findFirst();
        if (next.isEmpty()) {
            return Plan.of(Optional.empty(), false, Causes.nowhere(in.hierarchy().tag(), order));
        }
        return Plan.of(next.get().name(), true, headFormat.formatted(next.get().name()));
    }

    /** May become the owner: ALIVE, entitled, not stopping, no remembered failure, state known. */
    static boolean candidate(ServerView v, Optional<String> forgiven) {
        boolean failureOk = v.failure().isEmpty() || forgiven.filter(v.name()::equals).isPresent();
        boolean reportOk = switch (v.report()) {
            case IN_SERVICE, OUT_OF_SERVICE, STOPPING -> true;
            case FAILED -> failureOk;
            case MAINTENANCE, UNKNOWN -> false;
        };
        return v.alive() && v.entitled() && v.shutdown().isEmpty() && failureOk && reportOk;
    }

    private static Decision finish(PlacementInput in, List<ServerView> order, Plan plan, Optional<String> refusal) {
        OwnerRecord current = in.owner();
        boolean changed = !plan.owner().equals(current.owner());
        long generation = changed ? current.generation() + 1 : current.generation();
        Map<String, Step> steps = new LinkedHashMap<>();
        Optional<String> waiting = Optional.empty();
        for (ServerView v : order) {
            boolean owner = plan.owner().filter(v.name()::equals).isPresent();
            if (!owner || !plan.inService()) {
                steps.put(v.name(), mayRunHere(v) ? Step.REMOVE : Step.NOTHING);
            } else if (v.report() == HierarchyReport.IN_SERVICE) {
                steps.put(v.name(), Step.KEEP);
            } else {
                waiting = obstacle(v, order, plan.forgiven());
                steps.put(v.name(), waiting.isEmpty() ? Step.RESTORE : Step.NOTHING);
            }
        }
        String reason = plan.head() + waiting.map(w -> "; " + w).orElse("");
        return new Decision(plan.owner(), generation, changed, steps, reason, refusal);
    }

    /** An ALIVE server where something of the hierarchy may run: it must take it out of service. */
    private static boolean mayRunHere(ServerView v) {
        return v.alive() && (v.report() == HierarchyReport.IN_SERVICE || v.report() == HierarchyReport.STOPPING);
    }

    /** What keeps the owner from restoring now, if anything. */
    private static Optional<String> obstacle(ServerView owner, List<ServerView> order, Optional<String> forgiven) {
        if (!candidate(owner, forgiven)) {
            return Optional.of("it cannot be restored on " + owner.name() + " now");
        }
        if (owner.report() == HierarchyReport.STOPPING) {
            return Optional.of("waiting for " + owner.name() + " to finish taking it out of service");
        }
        return order.stream().filter(v -> v != owner)
                .filter(v -> v.alive() ? !v.report().surelyStopped() : !v.fenced())
                .min(Comparator.comparing(v -> v.alive() ? 0 : 1))
                .map(v -> !v.alive() ? "waiting for " + v.name() + " to be fenced (its disk lease or its guard's deadline has not surely passed yet)"
                        : mayRunHere(v) ? "waiting for " + v.name() + " to take it out of service"
                        : "waiting for " + v.name() + " to report its state");
    }
}
