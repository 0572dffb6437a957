package dev.vigil.daemon.notify;

import dev.vigil.core.config.ConfigException;
import dev.vigil.core.config.ConfigLoader;
import dev.vigil.core.config.ConfigProblem;
import dev.vigil.core.config.SnmpSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Lets a running daemon pick up what {@code lk_configsnmp} wrote: every few seconds it looks at
 * the configuration files (the main file and conf.d), and when one changed, loads the whole
 * configuration again and hands its {@code vigil.snmp} settings to the {@link TrapSender}. Only
 * the SNMP settings are taken over this way; every other change still needs a restart. A
 * configuration with problems changes nothing and is reported once in the SNMP log.
 */
public final class SnmpReload implements AutoCloseable {
    private final Path mainFile;
    private final TrapSender traps;
    private final OperatorLog log;
    private final ScheduledExecutorService timer;
    private List<String> lastSeen;

    private SnmpReload(Path mainFile, TrapSender traps, OperatorLog log, String server) {
        this.mainFile = mainFile;
        this.traps = traps;
        this.log = log;
        this.lastSeen = fingerprint();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-snmp-reload-" + server);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts watching {@code mainFile} and its conf.d every {@code periodMillis}. */
    public static SnmpReload start(Path mainFile, TrapSender traps, String server, long periodMillis) {
        SnmpReload r = new SnmpReload(mainFile, traps, new OperatorLog(server), server);
        r.timer.scheduleWithFixedDelay(r::check, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        return r;
    }

    /** Names, sizes and modification times of the configuration files: what changes when one is written. */
    private List<String> fingerprint() {
        List<String> out = new ArrayList<>();
        out.add(stamp(mainFile));
        Path dir = mainFile.toAbsolutePath().resolveSibling("conf.d");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.getFileName().toString().endsWith(".conf")).sorted().map(SnmpReload::stamp)
                        .forEach(out::add);
            } catch (IOException e) {
                out.add(dir + " unreadable");
            }
        }
        return out;
    }

    private static String stamp(Path p) {
        try {
            return p + " " + Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return p + " missing";
        }
    }

    private void check() {
        List<String> now = fingerprint();
        if (now.equals(lastSeen)) {
            return;
        }
        lastSeen = now;
        SnmpSettings next;
        try {
            next = ConfigLoader.load(mainFile).snmp();
        } catch (ConfigException e) {
            log.snmpError("the changed configuration is not used, the SNMP settings stay as they were: "
                    + e.problems().stream().map(ConfigProblem::toString).collect(Collectors.joining("; ")));
            return;
        } catch (RuntimeException e) {
            log.snmpError("the changed configuration cannot be read: " + e);
            return;
        }
        if (!next.equals(traps.settings())) {
            traps.reconfigure(next);
            log.snmpSettingsReloaded(next.destinations().stream().map(Object::toString).toList(), next.community(),
                    next.version().name().toLowerCase(Locale.ROOT));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
