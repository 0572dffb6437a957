package dev.vigil.core.config;

import static dev.vigil.core.config.ConfigFixture.generic;
import static dev.vigil.core.config.ConfigFixture.hierarchy;
import static dev.vigil.core.config.ConfigFixture.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.core.ResourceType;
import dev.vigil.core.Switchback;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hierarchies = [ ... ]: tags, dependencies and the shape of the graph, priorities, resource
 * types. Resource lines written with {@link ConfigFixture#hierarchy} start at line 7.
 */
class HierarchyValidationTest {
    private static final String R = "vigil.hierarchies[0].resources";

    @TempDir
    Path dir;
    ConfigFixture f;

    @BeforeEach
    void setUp() {
        f = new ConfigFixture(dir);
    }

    /** One hierarchy "pg" with {@code priorities} on line 5 and one IP resource "pg" on line 6. */
    private List<String> priorities(String priorities) {
        return f.problems(vigil("  hierarchies = [ {\n    tag = pg, priorities " + priorities + "\n"
                + "    resources = [ { tag = pg, type = ip, address = \"10.200.0.100\" } ]\n  } ]\n"));
    }

    @Test
    void dependencyOnUnknownTagNamesTheKnownTags() {
        assertEquals(List.of(R + "[0].depends-on: unknown tag 'fs-/shar' (did you mean 'fs-/share'?"
                        + " known in this hierarchy: fs-/share, ip, pg)").stream().map(s -> "vigil.conf:7: " + s).toList(),
                f.problems(hierarchy(generic("pg", "fs-/shar", "ip"), generic("fs-/share"), generic("ip"))));
    }

    @Test
    void dependencyOnAResourceOfAnotherHierarchySaysSo() {
        List<String> problems = f.problems(vigil("""
                  hierarchies = [
                    { tag = a, priorities { n1 = 1 }, resources = [ { tag = a, type = ip, address = "10.200.0.100" } ] }
                    { tag = b, priorities { n1 = 1 }, resources = [
                      { tag = b, type = postgresql, data-dir = "/share/data", depends-on = [a] } ] }
                  ]
                """));
        assertEquals(List.of("vigil.conf:7: vigil.hierarchies[1].resources[0].depends-on: 'a' is a resource of hierarchy"
                + " 'a' (vigil.conf:5); a resource can depend only on resources of its own hierarchy"), problems);
    }

    @Test
    void resourceDependingOnItselfIsReported() {
        assertEquals(List.of("vigil.conf:7: " + R + "[0].depends-on: 'pg' depends on itself"),
                f.problems(hierarchy(generic("pg", "pg"))));
    }

    @Test
    void sameDependencyListedTwiceIsReported() {
        assertEquals(List.of("vigil.conf:7: " + R + "[0].depends-on: lists 'a' twice"),
                f.problems(hierarchy(generic("pg", "a", "a"), generic("a"))));
    }

    @Test
    void twoCycleShowsTheCycleAtItsFirstResource() {
        assertEquals(List.of("vigil.conf:8: " + R + "[1].depends-on: dependency cycle: a -> b -> a"),
                f.problems(hierarchy(generic("pg", "a"), generic("a", "b"), generic("b", "a"))));
    }

    @Test
    void threeCycleShowsTheWholeCycle() {
        assertEquals(List.of("vigil.conf:8: " + R + "[1].depends-on: dependency cycle: a -> b -> c -> a"),
                f.problems(hierarchy(generic("pg", "a"), generic("a", "b"), generic("b", "c"), generic("c", "a"))));
    }

    @Test
    void everySeparateCycleIsReportedInOneRun() {
        assertEquals(List.of(
                "vigil.conf:8: " + R + "[1].depends-on: dependency cycle: a -> b -> a",
                "vigil.conf:10: " + R + "[3].depends-on: dependency cycle: c -> d -> e -> c"),
                f.problems(hierarchy(generic("pg", "a", "c"), generic("a", "b"), generic("b", "a"),
                        generic("c", "d"), generic("d", "e"), generic("e", "c"))));
    }

    @Test
    void rootTagThatIsNoResourceListsTheResources() {
        assertEquals(List.of("vigil.conf:5: vigil.hierarchies[0].tag: 'pg' must be the tag of one of the hierarchy's"
                        + " resources (its root); found: a, b"),
                f.problems(hierarchy(generic("a", "b"), generic("b"))));
    }

    @Test
    void resourceDependingOnTheRootIsReported() {
        assertEquals(List.of("vigil.conf:9: " + R + "[2].depends-on: depends on the hierarchy's root 'pg'; the root must"
                        + " be the top of the hierarchy"),
                f.problems(hierarchy(generic("pg", "a"), generic("a"), generic("b", "pg"))));
    }

    @Test
    void resourceNotReachedFromTheRootIsReported() {
        assertEquals(List.of("vigil.conf:9: " + R + "[2].tag: 'b' is not reached from the hierarchy's root 'pg'; add it"
                        + " to a depends-on list or move it to a hierarchy of its own"),
                f.problems(hierarchy(generic("pg", "a"), generic("a"), generic("b"))));
    }

    @Test
    void duplicateTagWithinAHierarchyNamesTheFirstLine() {
        assertEquals(List.of("vigil.conf:9: " + R + "[2].tag: duplicate tag 'a' (also at line 8)"),
                f.problems(hierarchy(generic("pg", "a"), generic("a"), generic("a"))));
    }

    @Test
    void duplicateTagAcrossHierarchiesNamesTheOtherHierarchy() {
        List<String> problems = f.problems(vigil("""
                  hierarchies = [
                    { tag = a, priorities { n1 = 1 }, resources = [ { tag = a, type = ip, address = "10.200.0.100" } ] }
                    { tag = b, priorities { n2 = 1 }, resources = [
                      { tag = a, type = ip, address = "10.200.0.101" }
                      { tag = b, type = postgresql, data-dir = "/share/data", depends-on = [a] } ] }
                  ]
                """));
        assertEquals(List.of("vigil.conf:7: vigil.hierarchies[1].resources[0].tag: duplicate tag 'a': already used in"
                + " hierarchy 'a' (vigil.conf:5); a tag names one resource of the cluster"), problems);
    }

    @Test
    void twoResourcesProtectingTheSameAddressDeviceOrDataDirectoryAreRefused() {
        List<String> problems = f.problems(vigil("""
                  hierarchies = [
                    { tag = a, priorities { n1 = 1 }, resources = [
                      { tag = a, type = postgresql, data-dir = "/share/data", depends-on = [ip-a, fs-a] }
                      { tag = ip-a, type = ip, address = "10.200.0.100" }
                      { tag = fs-a, type = filesystem, device = "/dev/sdb1", mount-point = "/share" } ] }
                    { tag = b, priorities { n2 = 1 }, resources = [
                      { tag = b, type = postgresql, data-dir = "/share/data", depends-on = [ip-b, fs-b] }
                      { tag = ip-b, type = ip, address = "10.200.0.100" }
                      { tag = fs-b, type = filesystem, device = "/dev/sdb1", mount-point = "/share2" } ] }
                  ]
                """));
        assertEquals(List.of(
                "vigil.conf:10: vigil.hierarchies[1].resources[0].data-dir: '/share/data' is also the data-dir of"
                        + " resource 'a' (vigil.conf:6); two resources cannot protect the same one",
                "vigil.conf:11: vigil.hierarchies[1].resources[1].address: '10.200.0.100' is also the address of"
                        + " resource 'ip-a' (vigil.conf:7); two resources cannot protect the same one",
                "vigil.conf:12: vigil.hierarchies[1].resources[2].device: '/dev/sdb1' is also the device of"
                        + " resource 'fs-a' (vigil.conf:8); two resources cannot protect the same one"), problems);
    }

    @Test
    void tagWithASpaceIsRefused() {
        assertEquals(List.of("vigil.conf:7: " + R + "[0].tag: 'my app' must be 1 to 256 characters without spaces"),
                f.problems(hierarchy("{ tag = \"my app\", type = ip, address = \"10.200.0.100\" }")));
    }

    @Test
    void unknownServerInPrioritiesSuggestsTheClosestName() {
        assertEquals(List.of("vigil.conf:5: vigil.hierarchies[0].priorities.m2: unknown server 'm2' (did you mean 'n2'?"
                + " known: n1, n2)"), priorities("{ n1 = 1, m2 = 10 }"));
    }

    @Test
    void twoServersSharingAPriorityIsReported() {
        assertEquals(List.of("vigil.conf:5: vigil.hierarchies[0].priorities.n2: priority 1 is also the priority of 'n1';"
                + " each server needs its own"), priorities("{ n1 = 1, n2 = 1 }"));
    }

    @Test
    void priorityOutOfRangeIsReported() {
        assertEquals(List.of(
                "vigil.conf:5: vigil.hierarchies[0].priorities.n1: 0 is out of range (1 to 999)",
                "vigil.conf:5: vigil.hierarchies[0].priorities.n2: 1000 is out of range (1 to 999)"),
                priorities("{ n1 = 0, n2 = 1000 }"));
    }

    @Test
    void emptyPrioritiesNeedAServer() {
        assertEquals(List.of("vigil.conf:5: vigil.hierarchies[0].priorities: needs at least one server with its"
                + " priority, e.g. { n1 = 1, n2 = 10 }"), priorities("{ }"));
    }

    @Test
    void emptyResourcesNeedAResource() {
        assertEquals(List.of("vigil.conf:6: vigil.hierarchies[0].resources: a hierarchy needs at least one resource"),
                f.problems(hierarchy()));
    }

    @Test
    void hierarchyWithoutTagPrioritiesOrResourcesNamesEachMissingKey() {
        assertEquals(List.of(
                "vigil.conf:4: vigil.hierarchies[0].tag: missing required key",
                "vigil.conf:4: vigil.hierarchies[0].priorities: missing required key",
                "vigil.conf:4: vigil.hierarchies[0].resources: missing required key"),
                f.problems(vigil("  hierarchies = [ { switchback = automatic } ]\n")));
    }

    @Test
    void badSwitchbackOfAHierarchyListsTheAcceptedValues() {
        assertEquals(List.of("vigil.conf:4: vigil.hierarchies[0].switchback: 'manual' is not one of: intelligent, automatic"),
                f.problems(vigil("  hierarchies = [ { switchback = manual, tag = a, priorities { n1 = 1 },"
                        + " resources = [ { tag = a, type = ip, address = \"10.200.0.100\" } ] } ]\n")));
    }

    @Test
    void unknownResourceTypeSuggestsTheClosestTypeAndIgnoresTheEntrysOtherKeys() {
        assertEquals(List.of("vigil.conf:7: " + R + "[0].type: unknown resource type 'postgres' (did you mean"
                        + " 'postgresql'? known: ip, filesystem, postgresql, generic)"),
                f.problems(hierarchy("{ tag = pg, type = postgres, data-dir = \"/share/data\", pgport = 5432 }")));
    }

    @Test
    void resourceWithoutTagOrTypeNamesTheMissingKey() {
        assertEquals(List.of(
                "vigil.conf:8: " + R + "[1].tag: missing required key",
                "vigil.conf:9: " + R + "[2].type: missing required key"),
                f.problems(hierarchy(generic("pg", "x"), "{ type = ip, address = \"10.200.0.100\" }", "{ tag = x }")));
    }

    @Test
    void typeSpecificRequiredKeysAreNamed() {
        assertEquals(List.of(
                "vigil.conf:7: " + R + "[0].data-dir: missing required key",
                "vigil.conf:8: " + R + "[1].address: missing required key",
                "vigil.conf:9: " + R + "[2].device: missing required key",
                "vigil.conf:9: " + R + "[2].mount-point: missing required key",
                "vigil.conf:10: " + R + "[3].restore-script: missing required key",
                "vigil.conf:10: " + R + "[3].remove-script: missing required key",
                "vigil.conf:10: " + R + "[3].quick-check-script: missing required key"),
                f.problems(hierarchy("{ tag = pg, type = postgresql, depends-on = [ip, fs, app] }",
                        "{ tag = ip, type = ip }", "{ tag = fs, type = filesystem }", "{ tag = app, type = generic }")));
    }

    @Test
    void malformedVirtualAddressAndPingListEntriesAreRefused() {
        assertEquals(List.of(
                "vigil.conf:7: " + R + "[0].prefix-length: 33 is out of range (1 to 32)",
                "vigil.conf:7: " + R + "[0].address: '10.200.0.100/24' is not an IPv4 address such as 10.200.0.100",
                "vigil.conf:7: " + R + "[0].ping-list: '10.200.0.256' is not an IPv4 address",
                "vigil.conf:7: " + R + "[0].ping-list: 'gateway' is not an IPv4 address"),
                f.problems(hierarchy("{ tag = pg, type = ip, address = \"10.200.0.100/24\", prefix-length = 33,"
                        + " ping-list = [\"10.200.0.1\", \"10.200.0.256\", gateway] }")));
    }

    @Test
    void relativeDevicesMountPointsAndDataDirectoriesAreRefused() {
        assertEquals(List.of(
                "vigil.conf:7: " + R + "[0].data-dir: must be an absolute path, not 'share/data'",
                "vigil.conf:8: " + R + "[1].device: must be an absolute path such as /dev/sdb1, not 'sdb1'",
                "vigil.conf:8: " + R + "[1].mount-point: must be an absolute path such as /share, not 'share'"),
                f.problems(hierarchy("{ tag = pg, type = postgresql, data-dir = \"share/data\", depends-on = [fs] }",
                        "{ tag = fs, type = filesystem, device = sdb1, mount-point = share }")));
    }

    @Test
    void wrongTypesInsideAResourceAreReported() {
        assertEquals(List.of(
                "vigil.conf:7: " + R + "[0].depends-on: expected a list [ ... ] but found \"fs\"",
                "vigil.conf:7: " + R + "[0].port: 0 is out of range (1 to 65535)",
                "vigil.conf:8: " + R + "[1].fsck: expected true or false but found \"maybe\"",
                "vigil.conf:9: " + R + "[2].ping-list: expected a list [ ... ] but found an object { ... }"),
                f.problems(hierarchy("{ tag = pg, type = postgresql, data-dir = \"/share/data\", port = 0, depends-on = fs }",
                        "{ tag = fs, type = filesystem, device = \"/dev/sdb1\", mount-point = \"/share\", fsck = maybe }",
                        "{ tag = ip, type = ip, address = \"10.200.0.100\", ping-list = { a = 1 } }")));
    }

    @Test
    void unknownKeyInAResourceListsTheKeysOfItsType() {
        assertEquals(List.of("vigil.conf:7: " + R + "[0].colour: unknown key (known keys: check-interval, depends-on,"
                        + " device, fs-type, fsck, holder-grace, local-recovery-attempts, mount-point, options, tag,"
                        + " timeouts, type, umount-attempts)"),
                f.problems(hierarchy("{ tag = pg, type = filesystem, device = \"/dev/sdb1\", mount-point = \"/share\","
                        + " colour = blue }")));
    }

    @Test
    void validHierarchyIsReadWithPrioritiesInOrderAndDefaultsFilledIn() {
        VigilConfig c = f.load(vigil("""
                  hierarchies = [ {
                    tag = "powergres-/share/data", priorities { n2 = 10, n1 = 1 }
                    resources = [
                      { tag = "ip-10.200.0.100", type = ip, address = "10.200.0.100" }
                      { tag = "fs-/share", type = filesystem, device = "/dev/loop7", mount-point = "/share" }
                      { tag = "powergres-/share/data", type = postgresql, data-dir = "/share/data",
                        depends-on = ["ip-10.200.0.100", "fs-/share"] }
                    ] } ]
                """));
        HierarchyConfig h = c.hierarchy("powergres-/share/data").orElseThrow();
        assertEquals(Map.of("n1", 1, "n2", 10), h.priorities());
        assertEquals(List.of("n1", "n2"), h.serversByPriority());
        assertEquals("n1", h.primary());
        assertEquals(Switchback.INTELLIGENT, h.switchback());
        assertEquals(List.of(ResourceType.IP, ResourceType.FILESYSTEM, ResourceType.POSTGRESQL),
                h.resources().stream().map(ResourceConfig::type).toList());
        assertEquals(new dev.vigil.core.config.spec.IpSpec("10.200.0.100", 24, "eth0", List.of(), 3,
                Duration.ofSeconds(1), true, Duration.ofMillis(200), 2), h.resources().get(0).spec());
        assertEquals(new dev.vigil.core.config.spec.FilesystemSpec("/dev/loop7", "/share", "ext4", "rw", true, 3,
                Duration.ofSeconds(3)), h.resources().get(1).spec());
        assertEquals(new dev.vigil.core.config.spec.PostgresqlSpec("/share/data", 5432, "postgres",
                "/usr/lib/postgresql/15/bin", "postgres", java.util.Optional.empty(), Duration.ofSeconds(2),
                Duration.ofSeconds(60), java.util.Optional.empty()), h.resources().get(2).spec());
        assertEquals("IP-10.200.0.100", h.resources().get(0).id());
        assertEquals(h, c.hierarchyOf("fs-/share").orElseThrow());
    }
}
