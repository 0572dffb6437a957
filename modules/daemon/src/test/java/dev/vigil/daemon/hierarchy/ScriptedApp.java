package dev.vigil.daemon.hierarchy;

import dev.vigil.daemon.TestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Generic resources for the supervisor tests, real scripts run by the real generic kit: each
 * script records what it was asked ("restore TAG" in actions.log, checks excepted), keeps one
 * marker file per running resource, and fails on demand — a switch file {@code fail-ACTION-TAG}
 * makes that action of that resource exit 1; a missing marker makes its check fail.
 */
final class ScriptedApp {
    final Path scripts;
    private final Path markers;
    private final Path switches;
    private final Path actionsLog;
    private final Path spansLog;

    ScriptedApp(Path dir) {
        try {
            scripts = Files.createDirectories(dir.resolve("scripts"));
            markers = Files.createDirectories(dir.resolve("markers"));
            switches = Files.createDirectories(dir.resolve("switches"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        actionsLog = dir.resolve("actions.log");
        spansLog = dir.resolve("spans.log");
        String head = "t=$(printf %s \"$2\" | tr / _)\n";
        String logged = "echo \"%s $2\" >> \"" + actionsLog + "\"\n[ -e \"" + switches + "/slow-%s\" ] && sleep 1\n"
                + "[ -e \"" + switches + "/fail-%s-$t\" ] && exit 1\n";
        TestSupport.script(scripts.resolve("restore"), head + "echo \"start $2 $(date +%s%N)\" >> \"" + spansLog + "\"\n"
                + logged.formatted("restore", "restore", "restore") + "touch \"" + markers + "/$t\"\n"
                + "echo \"end $2 $(date +%s%N)\" >> \"" + spansLog + "\"\n");
        TestSupport.script(scripts.resolve("remove"), head + logged.formatted("remove", "remove", "remove")
                + "rm -f \"" + markers + "/$t\"\n");
        TestSupport.script(scripts.resolve("recover"), head + logged.formatted("recover", "recover", "recover")
                + "touch \"" + markers + "/$t\"\n");
        TestSupport.script(scripts.resolve("check"), head + "[ -e \"" + switches + "/fail-check-$t\" ] && exit 1\n"
                + "test -e \"" + markers + "/$t\"\n");
    }

    /** The generic resource defaults pointing at these scripts: checks every 200 ms, two recovery attempts. */
    String defaults() {
        return """
                  resource-defaults.generic {
                    restore-script = "%1$s/restore", remove-script = "%1$s/remove", quick-check-script = "%1$s/check",
                    recover-script = "%1$s/recover", check-interval = 200ms, local-recovery-attempts = 2
                    timeouts { restore = 10s, remove = 10s, quick-check = 5s, recover = 10s }
                  }
                """.formatted(scripts);
    }

    /** Makes {@code action} (restore, remove, recover, check) of {@code tag} fail until {@link #heal}. */
    void fail(String action, String tag) {
        write(switches.resolve("fail-" + action + "-" + file(tag)));
    }

    void heal(String action, String tag) {
        delete(switches.resolve("fail-" + action + "-" + file(tag)));
    }

    /** Every recover script run takes a second. */
    void slowRecovery() {
        write(switches.resolve("slow-recover"));
    }

    /** Every restore script run takes a second. */
    void slowRestore() {
        write(switches.resolve("slow-restore"));
    }

    /** When the restore of {@code tag} started and ended (System time in ns, from the script's {@code date}). */
    long[] restoreSpan(String tag) {
        long[] span = new long[2];
        for (String line : TestSupport.read(spansLog).lines().toList()) {
            String[] f = line.split(" ");
            if (f[1].equals(tag)) {
                span[f[0].equals("start") ? 0 : 1] = Long.parseLong(f[2]);
            }
        }
        return span;
    }

    /** The resource stops running behind Vigil's back: its check fails. */
    void kill(String tag) {
        delete(markers.resolve(file(tag)));
    }

    /** The resource runs, as if started by hand or left running by lkstop -f. */
    void markRunning(String tag) {
        write(markers.resolve(file(tag)));
    }

    boolean running(String tag) {
        return Files.exists(markers.resolve(file(tag)));
    }

    /** What the scripts were asked so far, in order ("restore fs", "remove ip", ...). */
    List<String> actions() {
        return TestSupport.read(actionsLog).lines().toList();
    }

    private static String file(String tag) {
        return tag.replace('/', '_');
    }

    private static void write(Path p) {
        try {
            Files.writeString(p, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
