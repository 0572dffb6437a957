package dev.vigil.core.config;

import static dev.vigil.core.config.ConfigFixture.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conf.d/*.conf beside the main file: merged in name order, hierarchies concatenated. */
class ConfDirectoryTest {
    @TempDir
    Path dir;
    ConfigFixture f;

    @BeforeEach
    void setUp() {
        f = new ConfigFixture(dir);
    }

    private static String hierarchyLine(String tag, String address) {
        return "vigil.hierarchies = [ { tag = \"" + tag + "\", priorities { n1 = 1 }, resources = [ { tag = \"" + tag
                + "\", type = ip, address = \"" + address + "\" } ] } ]\n";
    }

    @Test
    void confDFilesMergeInNameOrderWithHierarchiesConcatenatedAndLaterScalarsWinning() {
        f.write("vigil.conf", vigil("  logs.max-files = 3\n  admin.port = 7400\n")
                + hierarchyLine("ip-main", "10.200.0.100"));
        f.write("conf.d/20-b.conf", "vigil.logs.max-files = 7\n" + hierarchyLine("ip-b", "10.200.0.102"));
        f.write("conf.d/10-a.conf", "vigil.logs.max-files = 9\nvigil.logs.dir = \"/srv/logs\"\n"
                + hierarchyLine("ip-a", "10.200.0.101"));

        VigilConfig c = f.loadMain();

        assertEquals(7, c.logs().maxFiles());
        assertEquals(Path.of("/srv/logs"), c.logs().dir());
        assertEquals(7400, c.admin().port());
        assertEquals(List.of("ip-main", "ip-a", "ip-b"), c.hierarchies().stream().map(HierarchyConfig::tag).toList());
        assertEquals(List.of(dir.resolve("vigil.conf"), dir.resolve("conf.d/10-a.conf"), dir.resolve("conf.d/20-b.conf")),
                c.sources());
    }

    @Test
    void filesInConfDNotEndingInConfAndHiddenFilesAreIgnored() {
        f.write("vigil.conf", vigil(""));
        f.write("conf.d/README", "this { is not HOCON");
        f.write("conf.d/10-a.conf.bak", "vigil.server = n2\n");
        f.write("conf.d/.#10-a.conf", "vigil.server = n2\n");
        f.write("conf.d/10-a.conf", hierarchyLine("ip-a", "10.200.0.101"));

        VigilConfig c = f.loadMain();

        assertEquals("n1", c.serverName());
        assertEquals(List.of(dir.resolve("vigil.conf"), dir.resolve("conf.d/10-a.conf")), c.sources());
    }

    @Test
    void syntaxErrorInAConfDFileNamesThatFile() {
        f.write("vigil.conf", vigil(""));
        f.write("conf.d/10-a.conf", "# extra hierarchy\nvigil.hierarchies = [ { tag = \"x\" ]\n");

        List<String> problems = f.problemsOf(dir.resolve("vigil.conf"));

        assertEquals(List.of("conf.d/10-a.conf:2: syntax error: Expecting close brace } or a comma, got ']' (if you"
                + " intended ']' to be part of a key or string value, try enclosing the key or value in double quotes)"),
                problems);
    }

    @Test
    void duplicateTagAcrossAConfDFileNamesWhereItWasFirstUsed() {
        f.write("vigil.conf", vigil("") + hierarchyLine("ip-main", "10.200.0.100"));
        f.write("conf.d/10-a.conf", """
                # a second hierarchy reusing the main file's address resource
                vigil.hierarchies = [ { tag = "pg2", priorities { n2 = 1 }, resources = [
                  { tag = "ip-main", type = ip, address = "10.200.0.100" }
                  { tag = "pg2", type = postgresql, data-dir = "/share2/data", depends-on = ["ip-main"] }
                ] } ]
                """);

        List<String> problems = f.problemsOf(dir.resolve("vigil.conf"));

        assertEquals(List.of("conf.d/10-a.conf:3: vigil.hierarchies[1].resources[0].tag: duplicate tag 'ip-main':"
                + " already used in hierarchy 'ip-main' (vigil.conf:5); a tag names one resource of the cluster"),
                problems);
    }

    @Test
    void problemsOfSeveralFilesComeMainFileFirstThenByFileName() {
        f.write("vigil.conf", vigil("  logs.max-files = 0\n"));
        f.write("conf.d/20-b.conf", "vigil.admin.port = 0\n");
        f.write("conf.d/10-a.conf", "\nvigil.cluster.down-after = 0s\n");

        List<String> problems = f.problemsOf(dir.resolve("vigil.conf"));

        assertEquals(List.of(
                "vigil.conf:4: vigil.logs.max-files: 0 is out of range (1 to 100)",
                "conf.d/10-a.conf:2: vigil.cluster.down-after: 0s is out of range (100ms to 10m)",
                "conf.d/20-b.conf:1: vigil.admin.port: 0 is out of range (1 to 65535)"), problems);
    }
}
