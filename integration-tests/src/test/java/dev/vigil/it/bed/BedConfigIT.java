package dev.vigil.it.bed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.it.Distribution;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration files the bed generates are what the packaged {@code vigil check-config}
 * accepts, for every shape of cluster a scenario asks for (needs no root: nothing is started).
 */
class BedConfigIT {
    @TempDir
    Path dir;

    private final Distribution dist = Distribution.fromSystemProperty();

    private String check(BedConfig config, String server) throws Exception {
        Path home = Files.createDirectories(dir.resolve(server));
        Path file = home.resolve("vigil.conf");
        Files.writeString(file, config.mainFile(server, home, "/dev/loop7", Path.of("/var/tmp/vigil-bed/disk/share")));
        if (!config.extra().isBlank()) {
            Files.writeString(Files.createDirectories(home.resolve("conf.d")).resolve("90-scenario.conf"), config.extra());
        }
        var r = dist.run(file, "vigil", "check-config");
        assertEquals(0, r.exitCode(), r.output() + "\n" + Files.readString(file));
        return r.output();
    }

    @Test
    void twoServersWithTheSecondCommPathAreAValidConfiguration() throws Exception {
        assertTrue(check(BedConfig.twoServers(), "n1").contains("OK (2 servers, 1 hierarchy)"));
        assertTrue(check(BedConfig.twoServers().withoutSecondPath(), "n2").contains("OK (2 servers, 1 hierarchy)"));
    }

    @Test
    void witnessPingListStrategyAndExtraTextAreAValidConfiguration() throws Exception {
        BedConfig c = BedConfig.twoServers().withWitness().pingList("10.200.0.3").shutdownStrategy("switchover")
                .extra("vigil.logs.max-files = 3\n");
        assertTrue(check(c, "n3").contains("OK (3 servers, 1 hierarchy)"));
    }
}
