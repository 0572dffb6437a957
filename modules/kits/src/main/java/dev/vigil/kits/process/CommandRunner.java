package dev.vigil.kits.process;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every command a kit needs — the one place where Vigil starts processes on the host.
 * <ul>
 * <li>Each command becomes the leader of a new session ({@code setsid}); on timeout the whole tree
 * is SIGKILLed (see {@link ProcessTree}) and the direct child reaped, so nothing is left running
 * and no zombie of ours remains. A timed-out command is a result, with its partial output.</li>
 * <li>An optional command prefix (e.g. {@code ip netns exec n1}, {@code nsenter -t PID -n -m})
 * goes in front of every command, so a whole kit can act inside another namespace — the tests
 * and the integration bed use it. JDBC connections are not commands: they leave from the JVM.</li>
 * <li>A command may run as another OS user through {@code runuser -u USER --}; one for the daemon's
 * own user runs directly (runuser needs root, and a daemon not run by root — {@code vigil demo} as
 * a user — runs PostgreSQL as itself).</li>
 * <li>Output goes to temporary files, not pipes: a background child that inherits stdout (a
 * script starting a daemon with {@code &}) cannot make the runner wait for it.</li>
 * </ul>
 * Commands run with {@code LC_ALL=C} (messages are parsed), a fixed PATH that includes the sbin
 * directories, stdin from /dev/null and "/" as working directory.
 */
public final class CommandRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);
    private static final int MAX_CAPTURE = 64 * 1024;
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final String SETSID = Files.isExecutable(Path.of("/usr/bin/setsid")) ? "/usr/bin/setsid" : "setsid";
    private static final String OWN_USER = System.getProperty("user.name");

    private final List<String> prefix;

    public CommandRunner(List<String> prefix) {
        this.prefix = List.copyOf(prefix);
    }

    /** Runs commands on this host, in the daemon's own namespaces. */
    public static CommandRunner local() {
        return new CommandRunner(List.of());
    }

    public List<String> prefix() {
        return prefix;
    }

    /** The argument vector actually executed for {@code command}. */
    List<String> commandLine(Command command) {
        List<String> full = new ArrayList<>();
        full.add(SETSID);
        full.add("--wait");
        full.addAll(prefix);
        command.user().filter(u -> !u.equals(OWN_USER)).ifPresent(u -> full.addAll(List.of("runuser", "-u", u, "--")));
        full.addAll(command.argv());
        return full;
    }

    public CommandResult run(Command command) {
        String display = command.display();
        if (command.timeout().isZero()) {
            return new CommandResult(display, -1, "", "not started: no time left", true, Duration.ZERO);
        }
        Path out = null;
        Path err = null;
        long start = System.nanoTime();
        try {
            out = Files.createTempFile("vigil-cmd-", ".out");
            err = Files.createTempFile("vigil-cmd-", ".err");
            ProcessBuilder pb = new ProcessBuilder(commandLine(command))
                    .directory(new File("/"))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            Map<String, String> env = pb.environment();
            env.put("PATH", PATH);
            env.put("LC_ALL", "C");
            env.remove("LANG");
            env.remove("LANGUAGE");
            Process process;
            try {
                process = pb.start();
            } catch (IOException e) {
                return new CommandResult(display, CommandResult.NOT_STARTED, "", String.valueOf(e.getMessage()), false,
                        elapsedSince(start));
            }
            boolean timedOut = !waitFor(process, command.timeout());
            if (timedOut) {
                Set<Long> killed = ProcessTree.kill(process.pid());
                LOG.debug("`{}` timed out after {}; killed {}", display, command.timeout(), killed);
                process.waitFor();
            }
            CommandResult result = new CommandResult(display, timedOut ? -1 : process.exitValue(),
                    read(out), read(err), timedOut, elapsedSince(start));
            LOG.debug("{}", result.succeeded() ? "`" + display + "` ok" : result.describe());
            return result;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create temporary files for command output", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CommandResult(display, -1, "", "interrupted", true, elapsedSince(start));
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Waits for the process; an interrupt kills the tree and is re-raised to the caller's thread. */
    private static boolean waitFor(Process process, Duration timeout) throws InterruptedException {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            ProcessTree.kill(process.pid());
            process.waitFor();
            throw e;
        }
    }

    private static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(MAX_CAPTURE);
            String text = new String(head, StandardCharsets.UTF_8);
            return in.read() < 0 ? text : text + "\n[output truncated at " + MAX_CAPTURE / 1024 + " KiB]";
        }
    }

    private static Duration elapsedSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("cannot delete temporary file {}: {}", file, e.getMessage());
            }
        }
    }
}
