package dev.vigil.core.status;

import dev.vigil.core.ResourceState;
import java.util.List;

/**
 * The answer to an operator's action on a hierarchy ({@code POST /v1/hierarchies/{tag}/actions},
 * {@code perform_action}): the action, the server that carried it out, whether it succeeded, one
 * sentence saying what happened (for a failure: which resource failed and why), and then every
 * resource of the hierarchy with its state and reason on that server, root first.
 *
 * @param hierarchy the hierarchy's tag (its root), whichever of its resources the request named
 * @param action    {@code restore}, {@code remove} or {@code restart}
 */
public record ActionOutcome(String hierarchy, String action, String server, boolean succeeded, String message,
                            List<Resource> resources) {

    /** One resource after the action. */
    public record Resource(String tag, ResourceState state, String reason) {
    }
}
