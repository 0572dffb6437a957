package dev.vigil.daemon.cluster;

import dev.vigil.core.ShutdownStrategy;
import dev.vigil.core.config.ConfigReader;
import dev.vigil.core.config.VigilConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Optional;

/**
 * The shutdown strategy an administrator set at run time (GUI Properties, {@code POST
 * /v1/shutdown-strategy}), persisted as one word in {@code <state-dir>/shutdown-strategy} so it
 * survives a restart. When the file exists it wins over {@code vigil.shutdown-strategy} of the
 * configuration; {@link #effective} is the strategy this server has.
 */
public final class ShutdownStrategyFile {
    public static final String NAME = "shutdown-strategy";

    private ShutdownStrategyFile() {
    }

    public static ShutdownStrategy effective(VigilConfig config) {
        return read(config.stateDir()).orElse(config.shutdownStrategy());
    }

    /** The persisted strategy; empty when none was set or the file does not hold one of the two words. */
    public static Optional<ShutdownStrategy> read(Path stateDir) {
        try {
            String word = Files.readString(stateDir.resolve(NAME), StandardCharsets.UTF_8).strip();
            return Arrays.stream(ShutdownStrategy.values()).filter(s -> ConfigReader.spelling(s).equals(word)).findFirst();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Writes the strategy (replacing the file atomically). */
    public static void write(Path stateDir, ShutdownStrategy strategy) throws IOException {
        Files.createDirectories(stateDir);
        Path tmp = stateDir.resolve(NAME + ".tmp");
        Files.writeString(tmp, ConfigReader.spelling(strategy) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, stateDir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
