package dev.vigil.cli.demo;

import dev.vigil.cli.CommandFailure;
import dev.vigil.cli.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The demo's options, checked before anything is started or created: a bad one is a usage error
 * (exit 2) naming the option. Also who runs PostgreSQL: PostgreSQL refuses root, so the demo run
 * as root runs it as {@code postgres} (or {@code --pg-user}); run as another user, as that user.
 *
 * @param asOtherUser PostgreSQL runs as another user than the demo (through runuser)
 */
record DemoOptions(Optional<Path> dir, DemoPorts ports, Optional<Path> pgBin, String pgUser, boolean asOtherUser) {
    static final String DEFAULT_PG_USER = "postgres";

    static DemoOptions check(CommandLine cl, Path dir, int basePort, Path pgBin, String pgUser) {
        if (basePort < DemoPorts.MIN_BASE || basePort > DemoPorts.MAX_BASE) {
            throw new ParameterException(cl, "--base-port must be between " + DemoPorts.MIN_BASE + " and "
                    + DemoPorts.MAX_BASE + " (the demo uses N to N+" + (DemoPorts.SPAN - 1) + "), not " + basePort);
        }
        Optional<Path> absoluteDir = Optional.ofNullable(dir).map(d -> d.toAbsolutePath().normalize());
        absoluteDir.ifPresent(d -> checkDir(cl, d));
        Optional<Path> bin = Optional.ofNullable(pgBin).map(d -> d.toAbsolutePath().normalize());
        bin.ifPresent(d -> {
            List<String> missing = DemoPostgres.missing(d);
            if (!missing.isEmpty()) {
                throw new ParameterException(cl, "--pg-bin " + d + ": no " + String.join(", ", missing)
                        + " there (the demo needs " + String.join(", ", DemoPostgres.PROGRAMS) + ")");
            }
        });
        boolean root = DemoPostgres.runningAsRoot();
        String self = System.getProperty("user.name");
        if (!root) {
            if (pgUser != null && !pgUser.equals(self)) {
                throw new ParameterException(cl, "--pg-user " + pgUser + " needs root; run as " + self
                        + ", the demo runs PostgreSQL as " + self);
            }
            return new DemoOptions(absoluteDir, new DemoPorts(basePort), bin, self, false);
        }
        String user = pgUser == null ? DEFAULT_PG_USER : pgUser;
        if (user.equals("root")) {
            throw new ParameterException(cl, "--pg-user root: PostgreSQL refuses to run as root; name another OS user");
        }
        if (DemoPostgres.osUser(user).isEmpty()) {
            if (pgUser != null) {
                throw new ParameterException(cl, "--pg-user " + pgUser + ": no such OS user");
            }
            throw CommandFailure.of(ExitCode.SYSTEM, "there is no OS user " + DEFAULT_PG_USER + ": PostgreSQL refuses to "
                    + "run as root, and the demo runs it as " + DEFAULT_PG_USER + "; create that user (Debian's postgresql "
                    + "package does) or name another with --pg-user USER");
        }
        return new DemoOptions(absoluteDir, new DemoPorts(basePort), bin, user, true);
    }

    /** --dir: a new directory, or an empty one (the demo removes what is in it at the end). */
    private static void checkDir(CommandLine cl, Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(cl, "--dir " + dir + ": not a directory");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new ParameterException(cl, "--dir " + dir + ": not empty; give a new or empty directory "
                        + "(the demo removes what is in it at the end)");
            }
        } catch (IOException e) {
            throw new ParameterException(cl, "--dir " + dir + ": cannot be read: " + e.getMessage());
        }
    }
}
