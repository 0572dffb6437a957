package dev.vigil.kits.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads host files (sysfs, /proc) and device numbers as the kit's commands would see them. A kit
 * acting in the daemon's own namespaces — no command prefix, as on every real server — reads them
 * in the JVM: checks run every few seconds and must not start a process each time. Behind a
 * command prefix (a test bed acting in another namespace) they are read with {@code cat} and
 * {@code stat} through it, so the prefix still covers everything the kit looks at.
 */
public final class HostFiles {
    /** The error of a file that does not exist, worded as the C library words it. */
    public static final String NO_SUCH_FILE = "No such file or directory";
    private static final Duration STEP = Duration.ofSeconds(5);

    /** A file's text, or why it could not be read ("Invalid argument", {@link #NO_SUCH_FILE}, ...). */
    public record Read(String text, String error) {
        public boolean ok() {
            return error.isEmpty();
        }

        public boolean missing() {
            return error.equals(NO_SUCH_FILE);
        }
    }

    private final CommandRunner runner;

    public HostFiles(CommandRunner runner) {
        this.runner = runner;
    }

    /** True when the kit acts in the JVM's own namespaces, so that the JVM sees what its commands would. */
    public boolean inJvm() {
        return runner.prefix().isEmpty();
    }

    public Read read(String path, Deadline d) {
        if (inJvm()) {
            try {
                return new Read(new String(Files.readAllBytes(Path.of(path)), StandardCharsets.UTF_8), "");
            } catch (IOException e) {
                return new Read("", reason(e));
            }
        }
        CommandResult cat = runner.run(Command.of(d.cap(STEP), "cat", path));
        if (cat.succeeded()) {
            return new Read(cat.stdout(), "");
        }
        boolean fileError = !cat.timedOut() && !cat.programMissing() && !cat.stderr().isBlank();
        return new Read("", fileError ? cat.errorReason() : cat.describe());
    }

    /**
     * The number of a device node (links followed) as mountinfo prints it, "major:minor" in
     * decimal; empty when it cannot be read.
     */
    public Optional<String> deviceNumber(String device, Deadline d) {
        if (inJvm()) {
            try {
                long rdev = (Long) Files.getAttribute(Path.of(device), "unix:rdev");
                // glibc's gnu_dev_major / gnu_dev_minor
                long major = ((rdev >>> 8) & 0xfffL) | ((rdev >>> 32) & 0xfffff000L);
                long minor = (rdev & 0xffL) | ((rdev >>> 12) & 0xffffff00L);
                return Optional.of(major + ":" + minor);
            } catch (IOException | UnsupportedOperationException e) {
                return Optional.empty();
            }
        }
        CommandResult stat = runner.run(Command.of(d.cap(STEP), "stat", "-L", "-c", "%t:%T", device));
        String[] hex = stat.stdout().trim().split(":");
        if (!stat.succeeded() || hex.length != 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(hex[0], 16) + ":" + Integer.parseInt(hex[1], 16));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * What went wrong, worded as the C library words it ("Invalid argument", "Is a directory"):
     * some exceptions carry only the path as their message.
     */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof NoSuchFileException) {
            return NO_SUCH_FILE;
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof FileSystemException || e.getMessage() == null) {
            return e.getClass().getSimpleName();
        }
        return e.getMessage();
    }
}
