package dev.vigil.kits.filesystem;

import dev.vigil.core.LogType;
import dev.vigil.core.config.spec.FilesystemSpec;
import dev.vigil.kits.ActionResult;
import dev.vigil.kits.FailureKind;
import dev.vigil.kits.process.Command;
import dev.vigil.kits.process.CommandResult;
import dev.vigil.kits.process.CommandRunner;
import dev.vigil.kits.process.Deadline;
import dev.vigil.kits.process.HostProcesses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unmounts a busy filesystem the way the original's forceumount does: umount; while it is busy,
 * find the holders ({@code fuser -m}), log them, SIGTERM, wait, SIGKILL, umount again — a bounded
 * number of rounds. When even that fails (a holder stuck in the kernel, a loop device or mount on
 * top of it), {@code umount -l} detaches it and the result is a failure that says so: the device
 * stays in use until the last holder lets go, so it must not be mounted elsewhere yet.
 */
final class Unmounter {
    private static final Logger LOG = LoggerFactory.getLogger(LogType.LOG.loggerName());
    private static final Duration STEP = Duration.ofSeconds(30);

    private final String tag;
    private final CommandRunner runner;
    private final HostProcesses processes;
    private final FilesystemSpec spec;

    Unmounter(String tag, CommandRunner runner, HostProcesses processes, FilesystemSpec spec) {
        this.tag = tag;
        this.runner = runner;
        this.processes = processes;
        this.spec = spec;
    }

    ActionResult unmount(String mountPoint, Deadline d) {
        CommandResult umount = umount(mountPoint, d);
        Map<Long, String> stopped = new LinkedHashMap<>();
        String lastHolders = "none found";
        for (int round = 1; !umount.succeeded() && busy(umount) && round <= spec.umountAttempts() && !d.expired(); round++) {
            HostProcesses.Lookup holders = processes.usersOfMount(mountPoint, d);
            if (holders.error().isPresent()) {
                lastHolders = "cannot look them up: " + holders.error().get();
                LOG.warn("{}: {} is busy and its holders cannot be found: {}", tag, mountPoint, holders.error().get());
            } else {
                List<Long> pids = new ArrayList<>(holders.pids());
                pids.remove(ProcessHandle.current().pid());
                Map<Long, String> named = processes.alive(pids, d).orElseGet(() -> unnamed(pids));
                if (!named.isEmpty()) {
                    lastHolders = describe(named);
                    LOG.warn("{}: stopping processes holding {}: {}", tag, mountPoint, lastHolders);
                    Map<Long, String> stuck = processes.terminate(named.keySet(), spec.holderGrace(), d);
                    named.forEach((pid, name) -> {
                        if (!stuck.containsKey(pid)) {
                            stopped.put(pid, name);
                        }
                    });
                    if (!stuck.isEmpty()) {
                        lastHolders = describe(stuck) + " (do not die)";
                    }
                } else {
                    lastHolders = "none found";
                }
            }
            umount = umount(mountPoint, d);
        }
        String killed = stopped.isEmpty() ? "" : " after stopping " + describe(stopped);
        if (umount.succeeded()) {
            LOG.info("{}: unmounted {}{}", tag, mountPoint, killed);
            return ActionResult.success("unmounted " + mountPoint + killed);
        }
        if (!busy(umount)) {
            return ActionResult.failed(umount.timedOut() ? FailureKind.TIMED_OUT : FailureKind.FAILED,
                    "cannot unmount " + mountPoint + ": " + umount.describe());
        }
        CommandResult lazy = runner.run(Command.of(d.cap(STEP), "umount", "-l", mountPoint));
        String stillBusy = mountPoint + " still busy after " + spec.umountAttempts() + " rounds of stopping its holders"
                + killed + " (holders: " + lastHolders + ")";
        if (lazy.succeeded()) {
            String message = stillBusy + "; detached it with umount -l: the device stays in use until they let go"
                    + " — do not mount it on another server before that";
            LOG.error("{}: {}", tag, message);
            return ActionResult.failed(FailureKind.FAILED, message);
        }
        return ActionResult.failed(d.timedOutOr(FailureKind.FAILED), stillBusy + "; umount -l failed too: " + lazy.describe());
    }

    private CommandResult umount(String mountPoint, Deadline d) {
        return runner.run(Command.of(d.cap(STEP), "umount", mountPoint));
    }

    private static boolean busy(CommandResult r) {
        return !r.timedOut() && (r.output().contains("busy"));
    }

    /** Holders whose names could not be read are still holders. */
    private static Map<Long, String> unnamed(List<Long> pids) {
        Map<Long, String> result = new LinkedHashMap<>();
        pids.forEach(p -> result.put(p, "?"));
        return result;
    }

    private static String describe(Map<Long, String> pids) {
        return "pid " + pids.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", "));
    }
}
