package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.cli.testing.CliRun;
import dev.vigil.cli.testing.CliRun.Result;
import dev.vigil.cli.testing.TestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckConfigCommandTest {
    @TempDir
    Path dir;

    @Test
    void aValidConfigurationIsOkWithItsCounts() {
        TestConfig c = TestConfig.write(dir, 7366);
        Result r = CliRun.of("vigil", "check-config", c.file.toString());
        assertEquals(0, r.exit(), r::toString);
        assertEquals(c.file + ": OK (3 servers, 1 hierarchy)\n", r.out());
    }

    @Test
    void theFileMayComeFromTheConfigOptionOrVigilConf() {
        TestConfig c = TestConfig.write(dir, 7366);
        assertEquals(c.file + ": OK (3 servers, 1 hierarchy)\n", CliRun.of("vigil", "check-config", "-c", c.file.toString()).out());
        assertEquals(c.file + ": OK (3 servers, 1 hierarchy)\n",
                new CliRun().env("VIGIL_CONF", c.file.toString()).run("vigil", "check-config").out());
    }

    @Test
    void everyProblemIsPrintedOnItsOwnLineWithExit2() throws Exception {
        Path bad = dir.resolve("vigil.conf");
        Files.writeString(bad, """
                vigil {
                  server = n1
                  cluster { servers = [ { name = n1, host = "127.0.0.1" } ] }
                  admin { port = 0 }
                  logs { dir = "relative/logs" }
                }
                """);
        Result r = CliRun.of("vigil", "check-config", bad.toString());
        assertEquals(2, r.exit(), r::toString);
        assertEquals("", r.out());
        assertEquals(2, r.err().lines().count(), r::toString);
        assertTrue(r.err().lines().allMatch(l -> l.startsWith(bad + ":")), r::toString);
        assertTrue(r.err().contains(":4: vigil.admin.port") && r.err().contains(":5: vigil.logs.dir"), r::toString);
    }

    @Test
    void jsonGivesTheCountsOrEveryProblemWithItsPlace() throws Exception {
        TestConfig c = TestConfig.write(dir, TestConfig.freePort());
        Result ok = CliRun.of("vigil", "check-config", "--json", c.file.toString());
        assertEquals(0, ok.exit(), ok::toString);
        JsonNode good = Json.mapper().readTree(ok.out());
        assertTrue(good.get("valid").asBoolean());
        assertEquals(c.file.toString(), good.get("file").asText());
        assertEquals(3, good.get("servers").asInt());

        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "vigil {\n  server = n1\n  cluster { servers = [ { name = n1, host = \"127.0.0.1\" } ] }\n"
                + "  admin { port = 0 }\n}\n");
        Result r = CliRun.of("vigil", "check-config", "--json", bad.toString());
        assertEquals(2, r.exit(), r::toString);
        assertEquals("", r.err());
        JsonNode problems = Json.mapper().readTree(r.out()).get("problems");
        assertEquals(1, problems.size(), r.out());
        assertEquals(4, problems.get(0).get("line").asInt());
        assertEquals("vigil.admin.port", problems.get(0).get("key").asText());
        assertEquals("0 is out of range (1 to 65535)", problems.get(0).get("message").asText());
    }

    @Test
    void aMissingFileIsAProblemToo() {
        Result r = CliRun.of("vigil", "check-config", dir.resolve("nope.conf").toString());
        assertEquals(2, r.exit());
        assertEquals(dir.resolve("nope.conf") + ": file not found\n", r.err());
    }

    @Test
    void aFileAndTheConfigOptionTogetherAreAUsageError() {
        Result r = CliRun.of("vigil", "check-config", "-c", "a.conf", "b.conf");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("vigil check-config: give the file either as FILE or with -c, not both\n"), r::toString);
    }
}
