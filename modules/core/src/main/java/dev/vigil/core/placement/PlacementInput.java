package dev.vigil.core.placement;

import dev.vigil.core.config.HierarchyConfig;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Everything one placement decision for one hierarchy depends on, as one server knows it.
 *
 * @param hierarchy              the configuration (priorities, switchback)
 * @param servers                a view of every server in the hierarchy's priority list (others are ignored)
 * @param owner                  the owner as last agreed, with its generation
 * @param request                an operator's switchover request, if one arrived with this decision
 * @param maintenance            the hierarchy (or the whole cluster) is in maintenance mode: no decisions
 * @param operatorRemoved        the operator took it out of service ({@code perform_action -a remove})
 *                               and has not restored it since: it is restored nowhere automatically
 * @param misconfiguredFailsOver fail over on a MISCONFIGURED failure too (default false)
 */
public record PlacementInput(HierarchyConfig hierarchy, List<ServerView> servers, OwnerRecord owner,
                             Optional<SwitchoverRequest> request, boolean maintenance, boolean operatorRemoved,
                             boolean misconfiguredFailsOver) {

    public PlacementInput {
        Objects.requireNonNull(hierarchy, "hierarchy");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(request, "request");
        servers = List.copyOf(servers);
        Map<String, ServerView> byName = servers.stream()
                .collect(Collectors.toMap(ServerView::name, Function.identity(), (a, b) -> {
                    throw new IllegalArgumentException("two views of server " + a.name());
                }));
        for (String s : hierarchy.priorities().keySet()) {
            if (!byName.containsKey(s)) {
                throw new IllegalArgumentException("no view of server " + s + " of " + hierarchy.tag());
            }
        }
        owner.owner().filter(o -> !hierarchy.priorities().containsKey(o)).ifPresent(o -> {
            throw new IllegalArgumentException("owner " + o + " is not in the priority list of " + hierarchy.tag());
        });
    }

    /** The usual case: no request, no maintenance, not removed by the operator. */
    public static PlacementInput of(HierarchyConfig hierarchy, List<ServerView> servers, OwnerRecord owner) {
        return new PlacementInput(hierarchy, servers, owner, Optional.empty(), false, false, false);
    }

    public PlacementInput withRequest(String server) {
        return new PlacementInput(hierarchy, servers, owner, Optional.of(new SwitchoverRequest(server)), maintenance,
                operatorRemoved, misconfiguredFailsOver);
    }

    public PlacementInput withMaintenance(boolean m) {
        return new PlacementInput(hierarchy, servers, owner, request, m, operatorRemoved, misconfiguredFailsOver);
    }

    public PlacementInput withOperatorRemoved(boolean r) {
        return new PlacementInput(hierarchy, servers, owner, request, maintenance, r, misconfiguredFailsOver);
    }

    public PlacementInput withMisconfiguredFailsOver(boolean f) {
        return new PlacementInput(hierarchy, servers, owner, request, maintenance, operatorRemoved, f);
    }

    /** The view of {@code server}, which must be in the priority list. */
    public ServerView server(String server) {
        return servers.stream().filter(v -> v.name().equals(server)).findFirst().orElseThrow();
    }
}
