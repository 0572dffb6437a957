package dev.vigil.cli;

import dev.vigil.core.config.ConfigLoader;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The daemon as the systemd service {@code vigil.service} (deploy/systemd/vigil.service): whether
 * systemd runs here and manages the daemon of a given configuration, starting and stopping the
 * unit, and whether it starts at boot ({@code lkstop -r} enables it, a plain {@code lkstop}
 * disables it: the original's "stays stopped across a reboot"). Systemd counts as running when
 * {@code /run/systemd/system} exists, the test {@code sd_booted(3)} uses. Everything goes through
 * {@code systemctl} and {@code journalctl}, whose own words are kept for the operator.
 */
public final class ServiceManager {
    public static final String UNIT = "vigil.service";
    private static final long TIMEOUT_SECONDS = 30;

    private final Path systemdMarker;
    private final String systemctl;
    private final String journalctl;

    public ServiceManager(Path systemdMarker, String systemctl) {
        this(systemdMarker, systemctl, "journalctl");
    }

    public ServiceManager(Path systemdMarker, String systemctl, String journalctl) {
        this.systemdMarker = systemdMarker;
        this.systemctl = systemctl;
        this.journalctl = journalctl;
    }

    public static ServiceManager system() {
        return new ServiceManager(Path.of("/run/systemd/system"), "systemctl", "journalctl");
    }

    /**
     * One that sees no systemd: for daemons systemd never runs ({@code vigil demo}'s), so that
     * {@code lkstop} of such a daemon cannot disable the machine's own {@code vigil.service}.
     */
    public static ServiceManager none() {
        return new ServiceManager(Path.of("/dev/null/no-systemd"), "systemctl", "journalctl");
    }

    public boolean systemdRunning() {
        return Files.isDirectory(systemdMarker);
    }

    /** What systemd says of vigil.service ({@code systemctl show}). */
    public record Unit(boolean loaded, Optional<Path> configFile, String activeState, OptionalLong mainPid) {
        /** The unit exists and its daemon reads {@code file} (the same file, symlinks followed). */
        public boolean runs(Path file) {
            return loaded && configFile.isPresent() && sameFile(configFile.get(), file);
        }
    }

    /** The unit as systemd knows it; empty when systemd does not run here or systemctl fails. */
    public Optional<Unit> unit() {
        if (!systemdRunning()) {
            return Optional.empty();
        }
        Outcome show = systemctl("show", "--property=LoadState,ActiveState,MainPID,ExecStart");
        return show.ok() ? Optional.of(parseShow(show.message())) : Optional.empty();
    }

    /** True when systemd runs here and {@code vigil.service} runs the daemon of {@code configFile}. */
    public boolean manages(Path configFile) {
        return unit().map(u -> u.runs(configFile)).orElse(false);
    }

    /** {@code systemctl start vigil.service}. */
    public Outcome start() {
        return systemctl("start");
    }

    /** {@code systemctl stop vigil.service}. */
    public Outcome stop() {
        return systemctl("stop");
    }

    /** {@code systemctl enable vigil.service}. */
    public Outcome enable() {
        return systemctl("enable");
    }

    /** {@code systemctl disable vigil.service}. */
    public Outcome disable() {
        return systemctl("disable");
    }

    /** The unit's journal since {@code since} (the daemon's own words), or why it cannot be read. */
    public String journalSince(Instant since, int lines) {
        Outcome o = run(List.of(journalctl, "--unit=" + UNIT, "--since=@" + since.getEpochSecond(), "--lines=" + lines,
                "--output=cat", "--no-pager"), "journalctl --unit=" + UNIT, true);
        if (!o.ok()) {
            return "(cannot read the journal: " + o.message() + ")";
        }
        return o.message().isBlank() ? "(nothing in the journal of " + UNIT + ")" : o.message().stripTrailing();
    }

    /** What a systemctl run came to: success, or why not (its own output, or why it could not run). */
    public record Outcome(boolean ok, String command, String message) {
    }

    /**
     * Reads {@code systemctl show} lines. The config file is the {@code --config}/{@code -c} argument
     * of ExecStart's argv (vigild's default when there is none).
     */
    static Unit parseShow(String text) {
        boolean loaded = false;
        String active = "unknown";
        OptionalLong pid = OptionalLong.empty();
        Optional<Path> config = Optional.empty();
        for (String line : text.split("\n")) {
            if (line.equals("LoadState=loaded")) {
                loaded = true;
            } else if (line.startsWith("ActiveState=")) {
                active = line.substring("ActiveState=".length());
            } else if (line.startsWith("MainPID=")) {
                try {
                    long p = Long.parseLong(line.substring("MainPID=".length()).trim());
                    pid = p > 0 ? OptionalLong.of(p) : OptionalLong.empty();
                } catch (NumberFormatException e) {
                    pid = OptionalLong.empty();
                }
            } else if (line.startsWith("ExecStart=")) {
                config = execStartConfig(line);
            }
        }
        return new Unit(loaded, config, active, pid);
    }

    private static Optional<Path> execStartConfig(String line) {
        int start = line.indexOf("argv[]=");
        if (start < 0) {
            return Optional.empty();
        }
        int end = line.indexOf(" ;", start);
        String[] argv = line.substring(start + "argv[]=".length(), end < 0 ? line.length() : end).trim().split("\\s+");
        for (int i = 1; i < argv.length; i++) {
            if ((argv[i].equals("--config") || argv[i].equals("-c")) && i + 1 < argv.length) {
                return Optional.of(Path.of(argv[i + 1]));
            }
            if (argv[i].startsWith("--config=")) {
                return Optional.of(Path.of(argv[i].substring("--config=".length())));
            }
        }
        return Optional.of(ConfigLoader.DEFAULT_FILE);
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    private Outcome systemctl(String verb, String... options) {
        List<String> command = new ArrayList<>(List.of(systemctl, verb));
        command.addAll(List.of(options));
        command.add(UNIT);
        // show answers with lines to parse; the other verbs' words are quoted in one line.
        return run(command, "systemctl " + verb + " " + UNIT, verb.equals("show"));
    }

    private Outcome run(List<String> command, String shown, boolean keepLines) {
        Path output = null;
        try {
            // Output goes to a file, not a pipe, so a hung systemctl cannot block us past the timeout.
            output = Files.createTempFile("vigil-systemctl", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Outcome(false, shown, "no answer within " + TIMEOUT_SECONDS + " s");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                return new Outcome(false, shown, "exit code " + p.exitValue()
                        + (text.isEmpty() ? "" : ": " + text.replace('\n', ' ')));
            }
            return new Outcome(true, shown, keepLines ? text : text.replace('\n', ' '));
        } catch (IOException e) {
            return new Outcome(false, shown, "cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, shown, "interrupted");
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // A leftover temp file is harmless.
                }
            }
        }
    }
}
