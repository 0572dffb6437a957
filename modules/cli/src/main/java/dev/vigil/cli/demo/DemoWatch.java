package dev.vigil.cli.demo;

import dev.vigil.cli.AdminClient;
import dev.vigil.cli.CommandFailure;
import dev.vigil.cli.DaemonPid;
import dev.vigil.core.ResourceState;
import dev.vigil.core.ServerState;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.PlacementStatus;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.core.status.ServerStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Follows the demo cluster and prints what changes, with the time it was seen: a daemon gone or
 * running again (its pid file), a server DEAD or ALIVE as another server sees it, the hierarchy
 * failed on a server, and where it is in service (each server's own report) with the reason of
 * the placement decision and, after a daemon went away, how long the move took from there.
 */
final class DemoWatch {
    /** A daemon slower than this is skipped for one round rather than holding up the others. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);

    private final DemoLayout layout;
    private final Map<String, AdminClient> apis;
    private final DemoOutput out;

    private final Map<String, Long> pids = new HashMap<>();
    private final Map<String, ServerState> seen = new HashMap<>();
    private final Map<String, ResourceState> states = new HashMap<>();
    private volatile Optional<String> owner = Optional.empty();
    private boolean wasInService;
    private String goneServer;
    private long goneAt;

    DemoWatch(DemoLayout layout, Map<String, AdminClient> apis, DemoOutput out) {
        this.layout = layout;
        this.apis = apis;
        this.out = out;
    }

    /** What one look at the cluster found: where the hierarchy runs, and where it failed (server → why). */
    record Snapshot(Optional<String> owner, Map<String, String> failed) {
    }

    /** The server that last said the hierarchy is in service there. */
    Optional<String> owner() {
        return owner;
    }

    /** Looks at every server once and prints what changed since the last look. */
    synchronized Snapshot poll() {
        Map<String, ClusterStatus> statuses = new LinkedHashMap<>();
        for (String server : DemoLayout.SERVERS) {
            OptionalLong pid = DaemonPid.live(layout.stateDir(server));
            daemon(server, pid);
            if (pid.isPresent()) {
                try {
                    statuses.put(server, apis.get(server).status(REQUEST_TIMEOUT));
                } catch (CommandFailure notNow) {
                    // Starting, stopping or busy: it is asked again at the next look.
                }
            }
        }
        DemoLayout.SERVERS.forEach(s -> serverState(s, statuses));
        Map<String, String> failed = new LinkedHashMap<>();
        for (Map.Entry<String, ClusterStatus> e : statuses.entrySet()) {
            String server = e.getKey();
            Optional<ResourceStatus> own = e.getValue().server(server)
                    .map(ServerStatus::resources).map(r -> r.get(DemoLayout.TAG));
            ResourceState state = own.map(ResourceStatus::state).orElse(null);
            if (state == ResourceState.OSF) {
                String why = own.map(ResourceStatus::reason).orElse("");
                failed.put(server, why);
                if (states.get(server) != ResourceState.OSF) {
                    out.event(DemoLayout.TAG + ": failed on " + server + " (OSF): " + why);
                }
            }
            states.put(server, state);
        }
        // A server that did not answer this time keeps its last state; one whose daemon is gone has none.
        Optional<String> inService = DemoLayout.SERVERS.stream()
                .filter(s -> states.get(s) != null && states.get(s).inService()).findFirst();
        placement(inService, statuses);
        return new Snapshot(inService, failed);
    }

    private void daemon(String server, OptionalLong pid) {
        Long before = pids.get(server);
        if (pid.isPresent() && (before == null || before != pid.getAsLong())) {
            out.event(server + ": daemon running (pid " + pid.getAsLong() + ")");
            pids.put(server, pid.getAsLong());
        } else if (pid.isEmpty() && before != null) {
            out.event(server + ": daemon (pid " + before + ") is gone");
            pids.remove(server);
            states.remove(server);
            if (owner.equals(Optional.of(server))) {
                goneServer = server;
                goneAt = System.nanoTime();
            }
        }
    }

    /**
     * {@code server} as the first other server that answered sees it. Once the hierarchy has been in
     * service (before, servers are still joining), DEAD is news, and so is ALIVE after DEAD.
     */
    private void serverState(String server, Map<String, ClusterStatus> statuses) {
        for (Map.Entry<String, ClusterStatus> e : statuses.entrySet()) {
            if (e.getKey().equals(server)) {
                continue;
            }
            Optional<ServerState> state = e.getValue().server(server).map(ServerStatus::state);
            if (state.isEmpty()) {
                continue;
            }
            ServerState before = seen.put(server, state.get());
            if (wasInService && state.get() != before && (state.get() == ServerState.DEAD || before == ServerState.DEAD)) {
                out.event(server + ": " + state.get() + " (as " + e.getKey() + " sees it)");
            }
            return;
        }
    }

    private void placement(Optional<String> inService, Map<String, ClusterStatus> statuses) {
        if (inService.equals(owner)) {
            return;
        }
        owner = inService;
        if (inService.isEmpty()) {
            if (wasInService) {
                out.event(DemoLayout.TAG + ": out of service on every server");
            }
            return;
        }
        wasInService = true;
        String server = inService.get();
        String reason = Optional.ofNullable(statuses.get(server)).flatMap(st -> st.placement(DemoLayout.TAG))
                .map(PlacementStatus::reason)
                .filter(r -> !r.isBlank()).map(r -> ": " + r).orElse("");
        String after = "";
        if (goneServer != null) {
            after = String.format(Locale.ROOT, " (%.1f s after the daemon of %s went away)", (System.nanoTime() - goneAt) / 1e9, goneServer);
            goneServer = null;
        }
        out.event(DemoLayout.TAG + ": in service on " + server + reason + after);
    }
}
