package dev.vigil.core.status;

import java.util.List;

/**
 * The static description of a resource as status prints it: tag, id, the original's app and
 * type words, the info string, its dependencies and its depth below the hierarchy's root.
 */
public record ResourceInfo(String tag, String id, String type, String app, String kitType, String info,
                           List<String> dependsOn, int depth) {
}
