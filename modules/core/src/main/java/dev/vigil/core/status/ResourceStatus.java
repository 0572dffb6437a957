package dev.vigil.core.status;

import dev.vigil.core.ResourceState;

/** A resource's state on one server and why it is in it ("restore action has succeeded", the last error). */
public record ResourceStatus(ResourceState state, String reason) {
}
