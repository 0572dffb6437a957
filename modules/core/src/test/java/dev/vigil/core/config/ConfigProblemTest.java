package dev.vigil.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a problem is printed, and the helpers that make its hints and numbers read well. */
class ConfigProblemTest {

    @Test
    void problemPrintsFileLineKeyAndMessage() {
        assertEquals("vigil.conf:14: vigil.server: missing required key",
                new ConfigProblem("vigil.conf", 14, "vigil.server", "missing required key").toString());
    }

    @Test
    void problemWithoutLineOrKeyLeavesThemOut() {
        assertEquals("/etc/vigil/vigil.conf: file not found",
                new ConfigProblem("/etc/vigil/vigil.conf", -1, null, "file not found").toString());
    }

    @Test
    void exceptionMessageHasOneProblemPerLine() {
        ConfigException e = new ConfigException(List.of(new ConfigProblem("a.conf", 1, "vigil.x", "bad"),
                new ConfigProblem("a.conf", 2, null, "worse")));
        assertEquals("a.conf:1: vigil.x: bad\na.conf:2: worse", e.getMessage());
    }

    @Test
    void closestSpellingCountsASwapOfNeighboursAsOneEdit() {
        assertEquals(1, ConfigReader.distance("prot", "port"));
        assertEquals(java.util.Optional.of("port"), ConfigReader.closest("prot", List.of("port", "token-file")));
        assertEquals(java.util.Optional.empty(), ConfigReader.closest("colour", List.of("port", "token-file")));
    }

    @Test
    void sizesAndDurationsPrintAsAnOperatorWritesThem() {
        assertEquals("4KiB", ConfigReader.size(4096));
        assertEquals("1TiB", ConfigReader.size(1L << 40));
        assertEquals("1000 bytes", ConfigReader.size(1000));
        assertEquals("200ms", ConfigReader.human(Duration.ofMillis(200)));
        assertEquals("2s", ConfigReader.human(Duration.ofSeconds(2)));
        assertEquals("10m", ConfigReader.human(Duration.ofMinutes(10)));
    }
}
