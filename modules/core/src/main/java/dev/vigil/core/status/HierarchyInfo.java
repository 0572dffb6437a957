package dev.vigil.core.status;

import dev.vigil.core.config.ConfigReader;
import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.config.ResourceConfig;
import java.util.List;
import java.util.Map;

/**
 * A hierarchy as status shows it: root tag, switchback policy, server priorities (ascending)
 * and its resources in display order (root first, children indented by {@code depth}).
 */
public record HierarchyInfo(String tag, String switchback, Map<String, Integer> priorities,
                            List<ResourceInfo> resources) {

    public static HierarchyInfo of(HierarchyConfig h) {
        List<ResourceInfo> resources = h.displayTree().stream().map(e -> {
            ResourceConfig r = e.getKey();
            return new ResourceInfo(r.tag(), r.id(), r.type().configName(), r.type().app(), r.type().kitType(),
                    r.spec() == null ? "" : r.spec().info(), r.dependsOn(), e.getValue());
        }).toList();
        return new HierarchyInfo(h.tag(), ConfigReader.spelling(h.switchback()), h.priorities(), resources);
    }
}
