package dev.vigil.guard.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.guard.fence.Commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What the real-device tests need from the machine; they skip with a one-line reason without it. */
public final class TestHost {
    private TestHost() {
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Skips unless root and every command exists (in /usr/sbin, /usr/bin, /sbin or /bin). */
    public static void require(String why, String... commands) {
        assumeTrue(isRoot(), "skipped: " + why + " needs root");
        for (String c : commands) {
            assumeTrue(List.of("/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/").stream()
                    .anyMatch(d -> Files.isExecutable(Path.of(d + c))),
                    "skipped: " + why + " needs " + c + " (apt-get install -y the package that has it)");
        }
    }

    /** Runs a command that must succeed (test set-up). */
    public static String run(String... command) {
        Commands.Result r = Commands.run(List.of(command), Duration.ofSeconds(30));
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + r.output());
        }
        return r.output();
    }

    /** Runs a clean-up command; failures are ignored (the thing may already be gone). */
    public static void quietly(String... command) {
        Commands.run(List.of(command), Duration.ofSeconds(30));
    }
}
