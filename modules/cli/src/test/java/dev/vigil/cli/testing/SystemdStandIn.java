package dev.vigil.cli.testing;

import dev.vigil.cli.ServiceManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * A STAND-IN for systemd, for the tests of lkstart/lkstop's choice between systemd and a direct
 * start (PID 1 is not systemd on the build machines): a {@code /run/systemd/system} marker
 * directory, and {@code systemctl}/{@code journalctl} shell scripts that log their arguments.
 * {@code systemctl show} answers in the real format (LoadState, ActiveState, MainPID, ExecStart
 * with argv), from the unit's configuration file given here and the pid the last {@code start}
 * recorded; {@code start} runs a chosen shell command in the background as the "service";
 * {@code stop} notes whether the daemon still ran, then sends it SIGTERM, as systemd would.
 * The real unit file is checked by {@code systemd-analyze verify} in deploy's tests.
 */
public final class SystemdStandIn {
    private final Path dir;
    private final Path log;
    private final Path pidFile;

    private SystemdStandIn(Path dir) {
        this.dir = dir;
        this.log = dir.resolve("systemctl.log");
        this.pidFile = dir.resolve("main.pid");
    }

    /**
     * @param unitConfig the file vigil.service's ExecStart passes to vigild, or null when the unit
     *                   is not installed
     * @param service    the shell command {@code systemctl start} runs in the background (its pid
     *                   becomes MainPID), or null for a service that exits at once
     * @param startExit  the exit code of {@code systemctl start} (non-zero: it says why and starts nothing)
     */
    public static SystemdStandIn create(Path dir, Path unitConfig, String service, int startExit) {
        SystemdStandIn s = new SystemdStandIn(dir);
        try {
            Files.createDirectories(dir.resolve("run/systemd/system"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String execStart = unitConfig == null ? "" : "ExecStart={ path=/opt/vigil/bin/vigild ; argv[]=/opt/vigil/bin/vigild "
                + "--config " + unitConfig + " ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; "
                + "code=(null) ; status=0/0 }";
        String start = startExit != 0
                ? "echo 'Job for vigil.service failed because the control process exited with error code.'; exit " + startExit
                : service == null ? "exit 0" : "(" + service + ") >/dev/null 2>&1 </dev/null & echo $! > '" + s.pidFile + "'";
        Processes.script(dir.resolve("bin/systemctl"), String.join("\n",
                "echo \"$*\" >> '" + s.log + "'",
                "pid=$(cat '" + s.pidFile + "' 2>/dev/null || echo 0)",
                "kill -0 \"$pid\" 2>/dev/null && ! grep -q '^State:.*zombie' /proc/$pid/status 2>/dev/null || pid=0",
                "case \"$1\" in",
                "show)",
                unitConfig == null ? "  echo LoadState=not-found" : "  echo LoadState=loaded",
                "  if [ \"$pid\" != 0 ]; then echo ActiveState=active; else echo ActiveState=failed; fi",
                "  echo MainPID=$pid",
                "  echo '" + execStart + "' ;;",
                "start) " + start + " ;;",
                "stop) if [ \"$pid\" != 0 ]; then echo 'stop while the daemon runs' >> '" + s.log + "'; kill \"$pid\"; fi ;;",
                "esac"));
        Processes.script(dir.resolve("bin/journalctl"),
                "echo \"journalctl $*\" >> '" + s.log + "'\necho 'vigild: cannot bind 127.0.0.1:7365: Address already in use'");
        return s;
    }

    public ServiceManager services() {
        return new ServiceManager(dir.resolve("run/systemd/system"), dir.resolve("bin/systemctl").toString(),
                dir.resolve("bin/journalctl").toString());
    }

    /** Every systemctl/journalctl call so far, one line each. */
    public List<String> calls() {
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes {@code pid} the unit's main process, as if systemd had started it. */
    public void recordMainPid(long pid) {
        try {
            Files.writeString(pidFile, pid + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pid of the service the last {@code start} ran. */
    public OptionalLong mainPid() {
        try {
            return Files.exists(pidFile) ? OptionalLong.of(Long.parseLong(Files.readString(pidFile).trim()))
                    : OptionalLong.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
