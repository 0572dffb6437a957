package dev.vigil.gui;

import dev.vigil.core.ServerState;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.users.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Maintenance mode from the GUI (B7): on or off for one hierarchy, or for every hierarchy of the
 * cluster, each cluster-wide (checks, local recovery and failover suspended, resources left as
 * they are). The placement of a server that runs the hierarchy records it: this server's daemon
 * when it runs the hierarchy, else the first live server by priority that does, through remote
 * exec ({@code vigil maintenance} there). Operators and administrators only. Everything is
 * checked before anything changes; when one hierarchy of "every hierarchy" fails, the ones
 * already changed are set back, so that request is all or nothing.
 */
public final class Maintenance {
    private static final Duration REMOTE_TIMEOUT = Duration.ofSeconds(60);

    private final DaemonLink daemon;
    private final VigilConfig config;
    private final GuiLog log;
    private final Actions actions;

    /** One hierarchy's maintenance mode after a request; {@code server} recorded it (null: nothing had to change). */
    record Outcome(String hierarchy, boolean maintenance, boolean changed, String server, String message) {
    }

    /** The answer of {@code POST /api/v1/maintenance}: every hierarchy's outcome, in the status's order. */
    record AllOutcome(boolean maintenance, String message, List<Outcome> hierarchies) {
    }

    /** A hierarchy to change and the server whose placement records the change. */
    record Step(String hierarchy, String server) {
    }

    /** What setting one hierarchy gave: its outcome, or (outcome null) the HTTP status and the error. */
    record Done(Outcome outcome, int status, String error) {
        static Done ok(Outcome o) {
            return new Done(o, 200, null);
        }

        static Done failed(int status, String error) {
            return new Done(null, status, error);
        }

        ApiResult answer() {
            return outcome != null ? ApiResult.ok(outcome) : ApiResult.error(status, error);
        }
    }

    /** The hierarchies set, in order, or the error answer of the one that failed (the others set back). */
    record Applied(List<Outcome> done, ApiResult error) {
    }

    /** The mode a request asks for, or (on null) the answer refusing it. */
    private record Mode(Boolean on, ApiResult error) {
        static Mode of(String body) {
            Actions.Body b = Actions.Body.read(body, "maintenance", List.of("maintenance"));
            if (b.error() != null) {
                return new Mode(null, ApiResult.error(400, b.error()));
            }
            if (!List.of("on", "off").contains(b.value())) {
                return new Mode(null, ApiResult.error(400, "invalid value \"" + b.value() + "\" for field "
                        + "\"maintenance\": must be one of \"on\", \"off\""));
            }
            return new Mode(b.value().equals("on"), null);
        }
    }

    public Maintenance(DaemonLink daemon, VigilConfig config, GuiLog log, Actions actions) {
        this.daemon = daemon;
        this.config = config;
        this.log = log;
        this.actions = actions;
    }

    /** {@code POST /api/v1/hierarchies/{tag}/maintenance}: the hierarchy of {@code tag}, on or off as the body says. */
    public ApiResult hierarchy(Caller caller, String tag, String body) {
        Mode mode = asked(caller, body);
        if (mode.error() != null) {
            return mode.error();
        }
        boolean on = mode.on();
        Actions.Checked c = actions.check(tag);
        if (c.error() != null) {
            return c.error();
        }
        ClusterView.Hierarchy h = c.view().hierarchyOf(tag).orElseThrow();
        Optional<String> server = decider(c.view(), h);
        if (server.isEmpty()) {
            return actions.refuse(caller, 409, noDecider(h));
        }
        log.info(caller.who() + " asks: maintenance " + word(on) + " for hierarchy \"" + h.tag() + "\"");
        ApiResult result = set(new Step(h.tag(), server.get()), on, h.maintenance() != on).answer();
        log.info("maintenance " + word(on) + " for hierarchy \"" + h.tag() + "\" for " + caller.who() + ": "
                + result.summary());
        return result;
    }

    /** {@code POST /api/v1/maintenance}: every hierarchy of the cluster, all or nothing. */
    public ApiResult all(Caller caller, String body) {
        Mode mode = asked(caller, body);
        if (mode.error() != null) {
            return mode.error();
        }
        boolean on = mode.on();
        Actions.Checked c = actions.current();
        if (c.error() != null) {
            return c.error();
        }
        List<Step> steps = new ArrayList<>();
        for (ClusterView.Hierarchy h : c.view().hierarchies()) {
            if (h.maintenance() == on) {
                continue;
            }
            Optional<String> server = decider(c.view(), h);
            if (server.isEmpty()) {
                return actions.refuse(caller, 409, noDecider(h) + "; nothing changed");
            }
            steps.add(new Step(h.tag(), server.get()));
        }
        String changes = String.join(", ", steps.stream().map(Step::hierarchy).toList());
        log.info(caller.who() + " asks: maintenance " + word(on) + " for every hierarchy"
                + (steps.isEmpty() ? " (nothing to change)" : " (" + changes + ")"));
        Applied applied = applyAll(steps, on, (step, to) -> set(step, to, true));
        ApiResult result = applied.error() != null ? applied.error() : ApiResult.ok(new AllOutcome(on,
                (on ? "every hierarchy is in maintenance mode" : "no hierarchy is in maintenance mode")
                        + (steps.isEmpty() ? " (nothing had to change)" : " (changed: " + changes + ")"),
                c.view().hierarchies().stream().map(h -> applied.done().stream()
                        .filter(o -> o.hierarchy().equals(h.tag())).findFirst()
                        .orElse(new Outcome(h.tag(), on, false, null, "hierarchy \"" + h.tag() + "\" was already "
                                + (on ? "in" : "out of") + " maintenance mode"))).toList()));
        log.info("maintenance " + word(on) + " for every hierarchy for " + caller.who() + ": " + result.summary());
        return result;
    }

    /**
     * Sets each step to {@code on} in order; when one fails, sets those already changed back to
     * {@code !on}, newest first, and answers the failure saying what was set back (or, if
     * setting one back failed too, which hierarchy stays changed and why).
     */
    static Applied applyAll(List<Step> steps, boolean on, BiFunction<Step, Boolean, Done> set) {
        List<Outcome> done = new ArrayList<>();
        for (Step step : steps) {
            Done d = set.apply(step, on);
            if (d.outcome() != null) {
                done.add(d.outcome());
                continue;
            }
            List<String> back = new ArrayList<>();
            List<String> stuck = new ArrayList<>();
            for (int i = done.size() - 1; i >= 0; i--) {
                Step changed = steps.get(i);
                Done undo = set.apply(changed, !on);
                if (undo.outcome() != null) {
                    back.add(changed.hierarchy());
                } else {
                    stuck.add("hierarchy \"" + changed.hierarchy() + "\" stays " + (on ? "in" : "out of")
                            + " maintenance mode: " + undo.error());
                }
            }
            String undone = done.isEmpty() ? "nothing changed"
                    : stuck.isEmpty() ? "set back: " + String.join(", ", back) + "; nothing changed"
                    : (back.isEmpty() ? "" : "set back: " + String.join(", ", back) + "; ") + "NOT set back: "
                    + String.join("; ", stuck);
            return new Applied(List.of(), ApiResult.error(d.status(), "maintenance " + word(on)
                    + " for hierarchy \"" + step.hierarchy() + "\" failed: " + d.error() + "; " + undone));
        }
        return new Applied(done, null);
    }

    /** Asks the daemon of {@code step.server} (this one, or another through remote exec) to record the mode. */
    private Done set(Step step, boolean on, boolean changes) {
        if (step.server().equals(config.serverName())) {
            DaemonLink.Reply r = daemon.maintenance(step.hierarchy(), on);
            if (!r.ok()) {
                return Done.failed(r.status() == 0 ? 503 : r.status(), r.message());
            }
            return Done.ok(new Outcome(step.hierarchy(), on, changes, step.server(), r.body().path("message").asText()));
        }
        DaemonLink.Reply r = daemon.remoteExec(step.server(), List.of("vigil", "maintenance", word(on),
                step.hierarchy()), REMOTE_TIMEOUT);
        if (!r.ok()) {
            return Done.failed(r.status() == 0 ? 503 : r.status(), r.message());
        }
        int exit = r.body().path("exitCode").asInt(-1);
        String output = r.body().path("stdout").asText().strip();
        String last = output.isEmpty() ? "vigil maintenance exited with code " + exit
                : output.lines().reduce((a, b) -> b).orElse(output).replaceFirst("^vigil maintenance: ", "");
        if (exit == 0) {
            return Done.ok(new Outcome(step.hierarchy(), on, changes, step.server(), last));
        }
        return Done.failed(exit == 7 ? 404 : exit == 9 ? 503 : 409, "server " + step.server() + ": " + last);
    }

    /**
     * The server whose placement records maintenance of {@code h}: this one when it may run
     * {@code h}, else the first server by priority that may and is not Dead.
     */
    private Optional<String> decider(ClusterView view, ClusterView.Hierarchy h) {
        if (h.priorities().containsKey(config.serverName())) {
            return Optional.of(config.serverName());
        }
        return h.priorities().entrySet().stream().sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .filter(s -> view.server(s).filter(v -> v.state() != ServerState.DEAD).isPresent()).findFirst();
    }

    private static String noDecider(ClusterView.Hierarchy h) {
        return "maintenance mode of hierarchy \"" + h.tag() + "\" cannot be changed now: every server that may run it ("
                + String.join(", ", h.priorities().keySet()) + ") is Dead";
    }

    /** The mode asked for, or the refusal: 403 for a guest, 400 for a body that is not {"maintenance": "on"|"off"}. */
    private Mode asked(Caller caller, String body) {
        if (!caller.role().allows(Role.OPERATOR)) {
            return new Mode(null, actions.refuse(caller, 403, caller.who()
                    + " may not change maintenance mode: an operator or administrator may"));
        }
        return Mode.of(body);
    }

    private static String word(boolean on) {
        return on ? "on" : "off";
    }
}
