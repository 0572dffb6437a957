package dev.vigil.core.config;

import dev.vigil.core.ResourceType;
import dev.vigil.core.config.spec.ResourceSpec;
import java.util.List;

/**
 * One protected resource: its unique tag, its type, the tags of the resources it depends on
 * (which must be in service before it), the type-specific settings and how the daemon checks
 * and repairs it ({@code policy}). {@code spec} and {@code policy} are {@code null} only while
 * the loader reports a problem with the entry; a loaded configuration has both.
 */
public record ResourceConfig(String tag, ResourceType type, List<String> dependsOn, ResourceSpec spec,
                             ResourcePolicy policy) {

    /**
     * The resource's id as status prints it (e.g. {@code IP-10.0.0.5}, a mount point, a data
     * directory); a generic application is identified by its tag.
     */
    public String id() {
        return spec == null || type == ResourceType.GENERIC ? tag : spec.id();
    }
}
