package dev.vigil.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.core.ResourceType;
import dev.vigil.core.Switchback;
import dev.vigil.core.config.spec.GenericSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The order a hierarchy is brought in and out of service, and how status draws it. */
class HierarchyConfigTest {

    private static ResourceConfig resource(String tag, String... deps) {
        return new ResourceConfig(tag, ResourceType.GENERIC, List.of(deps),
                new GenericSpec("/opt/" + tag + "/start", "/opt/" + tag + "/stop", "/opt/" + tag + "/check", Optional.empty(), ""),
                new ResourcePolicy(Duration.ofSeconds(5), 2, new ActionTimeouts(Duration.ofSeconds(30),
                        Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofSeconds(10))));
    }

    private static Map<String, Integer> priorities(Object... serverAndPriority) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < serverAndPriority.length; i += 2) {
            m.put((String) serverAndPriority[i], (Integer) serverAndPriority[i + 1]);
        }
        return m;
    }

    /** db depends on ip and fs; both depend on disk (a diamond), written root last. */
    private static HierarchyConfig diamond() {
        return new HierarchyConfig("db", priorities("n1", 1, "n2", 10), Switchback.INTELLIGENT, List.of(
                resource("disk"), resource("ip", "disk"), resource("fs", "disk"), resource("db", "ip", "fs")));
    }

    private static List<String> tags(List<ResourceConfig> resources) {
        return resources.stream().map(ResourceConfig::tag).toList();
    }

    @Test
    void restoreOrderBringsChildrenInServiceBeforeTheirParentsAndEachResourceOnce() {
        assertEquals(List.of("disk", "ip", "fs", "db"), tags(diamond().restoreOrder()));
    }

    @Test
    void removeOrderIsTheReverseOfRestoreOrder() {
        assertEquals(List.of("db", "fs", "ip", "disk"), tags(diamond().removeOrder()));
    }

    @Test
    void displayTreeShowsEachResourceOnceUnderItsFirstParentWithItsDepth() {
        List<Map.Entry<ResourceConfig, Integer>> tree = diamond().displayTree();
        assertEquals(List.of("db=0", "ip=1", "disk=2", "fs=1"),
                tree.stream().map(e -> e.getKey().tag() + "=" + e.getValue()).toList());
    }

    @Test
    void dependentsAreTheResourcesThatDependDirectlyOnATag() {
        HierarchyConfig h = diamond();
        assertEquals(List.of("ip", "fs"), h.dependents("disk"));
        assertEquals(List.of("db"), h.dependents("ip"));
        assertEquals(List.of(), h.dependents("db"));
    }

    @Test
    void rootIsTheResourceNamedByTheHierarchysTag() {
        assertEquals("db", diamond().root().tag());
        assertEquals(Optional.empty(), diamond().resource("nope"));
    }

    @Test
    void primaryIsTheServerWithTheLowestPriorityNumber() {
        HierarchyConfig h = new HierarchyConfig("db", priorities("n2", 1, "n3", 5, "n1", 20), Switchback.AUTOMATIC,
                List.of(resource("db")));
        assertEquals("n2", h.primary());
        assertEquals(List.of("n2", "n3", "n1"), h.serversByPriority());
    }

    @Test
    void singleResourceHierarchyRestoresAndRemovesJustIt() {
        HierarchyConfig h = new HierarchyConfig("db", priorities("n1", 1), Switchback.INTELLIGENT, List.of(resource("db")));
        assertEquals(List.of("db"), tags(h.restoreOrder()));
        assertEquals(List.of("db"), tags(h.removeOrder()));
        assertEquals(List.of("db=0"), h.displayTree().stream().map(e -> e.getKey().tag() + "=" + e.getValue()).toList());
    }

    @Test
    void operationBoundAddsEveryRestoreTwoRemovesAndEveryRecoveryAttempt() {
        // Each resource: restore 30 s, remove 20 s, recover 10 s with 2 attempts.
        HierarchyConfig h = diamond();
        assertEquals(Duration.ofSeconds(80), h.removeBound());
        assertEquals(Duration.ofSeconds(4 * (30 + 2 * 20 + 2 * 10)), h.operationBound());
        assertEquals(h.operationBound().multipliedBy(2).plusSeconds(10), h.actionTimeout());
    }
}
