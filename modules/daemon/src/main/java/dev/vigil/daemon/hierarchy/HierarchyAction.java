package dev.vigil.daemon.hierarchy;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What an operator may ask of a hierarchy on this server ({@code perform_action -a ACTION}, the
 * admin API's {@code POST /v1/hierarchies/{tag}/actions}): bring it in service here, take it out
 * of service while the daemon keeps running, or both in turn.
 */
public enum HierarchyAction {
    RESTORE, REMOVE, RESTART;

    /** The name on the command line and in the API: {@code restore}, {@code remove}, {@code restart}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<HierarchyAction> fromWireName(String name) {
        return Arrays.stream(values()).filter(a -> a.wireName().equals(name)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(HierarchyAction::wireName).toList();
    }
}
