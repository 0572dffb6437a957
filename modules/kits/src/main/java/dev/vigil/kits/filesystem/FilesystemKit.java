package dev.vigil.kits.filesystem;

import dev.vigil.core.LogType;
import dev.vigil.core.ResourceType;
import dev.vigil.core.config.ActionTimeouts;
import dev.vigil.core.config.spec.FilesystemSpec;
import dev.vigil.kits.ActionResult;
import dev.vigil.kits.CheckResult;
import dev.vigil.kits.FailureKind;
import dev.vigil.kits.KitEvent;
import dev.vigil.kits.Presence;
import dev.vigil.kits.RecoveryKit;
import dev.vigil.kits.process.Command;
import dev.vigil.kits.process.CommandResult;
import dev.vigil.kits.process.CommandRunner;
import dev.vigil.kits.process.Deadline;
import dev.vigil.kits.process.HostFiles;
import dev.vigil.kits.process.HostProcesses;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A filesystem on a shared block device. Restore opens the device first (a device this server
 * cannot open means fail over), runs {@code fsck -p} when configured, and mounts it. The check
 * wants the device mounted at the mount point and writable; in the daemon's own mount namespace
 * it reads the mount table and writes its probe file ({@link WriteProbe}) in the JVM, without a
 * process. Remove unmounts, stopping the processes that hold the mount (SIGTERM, then SIGKILL),
 * and as the very last resort detaches it lazily — reported as a failure, never silently.
 * Events: {@code filesys,notmounted}, {@code filesys,ioerror}.
 */
public final class FilesystemKit implements RecoveryKit {
    private static final Logger LOG = LoggerFactory.getLogger(LogType.LOG.loggerName());
    private static final Duration STEP = Duration.ofSeconds(10);

    private final String tag;
    private final FilesystemSpec spec;
    private final ActionTimeouts timeouts;
    private final CommandRunner runner;
    private final HostFiles files;
    private final HostProcesses processes;
    private final Unmounter unmounter;
    private final WriteProbe writeProbe;

    public FilesystemKit(String tag, FilesystemSpec spec, ActionTimeouts timeouts, CommandRunner runner) {
        this.tag = tag;
        this.spec = spec;
        this.timeouts = timeouts;
        this.runner = runner;
        this.files = new HostFiles(runner);
        this.processes = new HostProcesses(runner);
        this.unmounter = new Unmounter(tag, runner, processes, spec);
        this.writeProbe = new WriteProbe(tag, spec.mountPoint(), runner);
    }

    @Override
    public ActionResult restore() {
        return mount(Deadline.after(timeouts.restore()));
    }

    private ActionResult mount(Deadline d) {
        Optional<Where> where = where(d);
        if (where.isEmpty()) {
            return ActionResult.failed(d.timedOutOr(FailureKind.FAILED), "cannot read the mount table");
        }
        if (where.get().ours()) {
            return ActionResult.success(spec.device() + " already mounted on " + spec.mountPoint());
        }
        if (where.get().mount().isPresent()) {
            MountTable.Mount other = where.get().mount().get();
            return ActionResult.failed(FailureKind.NOT_AVAILABLE_HERE, "mount point " + spec.mountPoint()
                    + " already has " + other.source() + " (" + other.fsType() + ") mounted on it");
        }
        Optional<ActionResult> unusable = openDevice(d);
        if (unusable.isPresent()) {
            return unusable.get();
        }
        if (spec.fsck()) {
            Optional<ActionResult> fsckProblem = fsck(d);
            if (fsckProblem.isPresent()) {
                return fsckProblem.get();
            }
        }
        CommandResult mkdir = run(d, "mkdir", "-p", spec.mountPoint());
        if (!mkdir.succeeded()) {
            return ActionResult.failed(d.timedOutOr(FailureKind.FAILED),
                    "cannot create mount point " + spec.mountPoint() + ": " + mkdir.describe());
        }
        CommandResult mount = run(d, "mount", "-t", spec.fsType(), "-o", spec.options(), spec.device(), spec.mountPoint());
        if (!mount.succeeded()) {
            String out = mount.output();
            boolean config = out.contains("wrong fs type") || out.contains("bad option") || out.contains("bad superblock")
                    || out.contains("unknown filesystem type");
            boolean damaged = out.contains("Structure needs cleaning");
            String advice = damaged ? " — the filesystem is damaged: run fsck on it by hand" : "";
            return ActionResult.failed(mount.timedOut() ? FailureKind.TIMED_OUT
                    : config || damaged ? FailureKind.MISCONFIGURED : FailureKind.FAILED,
                    "cannot mount " + spec.device() + " on " + spec.mountPoint() + ": " + mount.describe() + advice);
        }
        LOG.info("{}: mounted {} on {} ({}, {})", tag, spec.device(), spec.mountPoint(), spec.fsType(), spec.options());
        return ActionResult.success("mounted " + spec.device() + " on " + spec.mountPoint());
    }

    /**
     * The device must open, have a medium (size above 0: a detached loop device or an empty drive
     * opens but has none) and give its first block — else this server cannot use it: fail over.
     * The message keeps the manual's shape: {@code cannot open device "/dev/sdb1": <reason>}.
     */
    private Optional<ActionResult> openDevice(Deadline d) {
        String prefix = "cannot open device \"" + spec.device() + "\": ";
        CommandResult size = run(d, "blockdev", "--getsize64", spec.device());
        if (size.timedOut()) {
            return Optional.of(ActionResult.failed(FailureKind.TIMED_OUT, prefix + size.describe()));
        }
        if (!size.succeeded()) {
            String why = size.errorReason();
            if (why.contains("Inappropriate ioctl")) {
                return Optional.of(ActionResult.failed(FailureKind.MISCONFIGURED, prefix + "not a block device"));
            }
            return Optional.of(ActionResult.failed(FailureKind.NOT_AVAILABLE_HERE, prefix + why));
        }
        if (size.stdout().trim().equals("0")) {
            return Optional.of(ActionResult.failed(FailureKind.NOT_AVAILABLE_HERE, prefix + "No such device or address"));
        }
        CommandResult read = run(d, "dd", "if=" + spec.device(), "of=/dev/null", "bs=4096", "count=1", "iflag=direct");
        if (!read.succeeded()) {
            return Optional.of(ActionResult.failed(read.timedOut() ? FailureKind.TIMED_OUT : FailureKind.NOT_AVAILABLE_HERE,
                    prefix + (read.timedOut() ? read.describe() : read.errorReason())));
        }
        return Optional.empty();
    }

    /** {@code fsck -p}: 0 clean, 1 errors corrected, 2 corrected (reboot advised — only for a mounted root). */
    private Optional<ActionResult> fsck(Deadline d) {
        CommandResult r = runner.run(Command.of(d.remaining(), "fsck", "-p", "-t", spec.fsType(), spec.device()));
        if (r.timedOut()) {
            return Optional.of(ActionResult.failed(FailureKind.TIMED_OUT, "fsck of " + spec.device() + ": " + r.describe()));
        }
        int code = r.exitCode();
        if (code == 0 || code == 1 || code == 2) {
            if (code != 0) {
                LOG.warn("{}: fsck -p corrected errors on {}: {}", tag, spec.device(), r.output());
            }
            return Optional.empty();
        }
        if ((code & 4) != 0) {
            return Optional.of(ActionResult.failed(FailureKind.MISCONFIGURED, "fsck -p left errors uncorrected on "
                    + spec.device() + " (exit " + code + "): run fsck on it by hand before bringing it in service; "
                    + r.output().replace('\n', ' ')));
        }
        boolean missing = r.output().contains("not found");
        return Optional.of(ActionResult.failed(missing ? FailureKind.MISCONFIGURED : FailureKind.FAILED,
                "fsck of " + spec.device() + " failed: " + r.describe()));
    }

    @Override
    public ActionResult remove() {
        Deadline d = Deadline.after(timeouts.remove());
        Optional<Where> where = where(d);
        if (where.isEmpty()) {
            return ActionResult.failed(d.timedOutOr(FailureKind.FAILED), "cannot read the mount table");
        }
        if (!where.get().ours()) {
            return ActionResult.success(spec.device() + " is not mounted on " + spec.mountPoint());
        }
        return unmounter.unmount(spec.mountPoint(), d);
    }

    @Override
    public CheckResult quickCheck() {
        return check(Deadline.after(timeouts.quickCheck()));
    }

    private CheckResult check(Deadline d) {
        Optional<Where> where = where(d);
        if (where.isEmpty()) {
            return CheckResult.failed(event("notmounted"), d.timedOutOr(FailureKind.FAILED), "cannot read the mount table");
        }
        if (!where.get().ours()) {
            String what = where.get().mount().map(m -> "has " + m.source() + " mounted instead of " + spec.device())
                    .orElse("is not mounted");
            return CheckResult.failed(event("notmounted"), FailureKind.FAILED, spec.mountPoint() + " " + what);
        }
        if (configuredReadOnly()) {
            return CheckResult.healthy();
        }
        if (where.get().mount().orElseThrow().readOnly()) {
            return CheckResult.failed(event("ioerror"), FailureKind.FAILED, spec.mountPoint()
                    + " is mounted read-only (the kernel does that after I/O errors on the device)");
        }
        return writeProbe.write(d).map(f -> CheckResult.failed(event("ioerror"), f.kind(), f.reason()))
                .orElse(CheckResult.healthy());
    }

    @Override
    public ActionResult recover() {
        Deadline d = Deadline.after(timeouts.recover());
        Optional<Where> where = where(d);
        if (where.isPresent() && where.get().ours() && !configuredReadOnly()) {
            CommandResult remount = run(d, "mount", "-o", "remount," + spec.options(), spec.mountPoint());
            if (!remount.succeeded()) {
                LOG.warn("{}: remount of {} failed: {}", tag, spec.mountPoint(), remount.describe());
            }
        } else {
            ActionResult mounted = mount(d);
            if (!mounted.succeeded()) {
                return mounted;
            }
        }
        CheckResult again = check(d);
        return again.isHealthy() ? ActionResult.success("recovered " + spec.mountPoint())
                : ActionResult.failed(again.failure().orElseThrow());
    }

    @Override
    public Presence probe() {
        Deadline d = Deadline.after(timeouts.quickCheck());
        Optional<Where> where = where(d);
        if (where.isEmpty()) {
            return Presence.FAILED;
        }
        if (where.get().mount().isEmpty()) {
            return Presence.STOPPED;
        }
        return where.get().ours() && check(d).isHealthy() ? Presence.RUNNING : Presence.FAILED;
    }

    /** What is mounted at the mount point and whether it is our device. */
    private record Where(Optional<MountTable.Mount> mount, boolean ours) {
    }

    private Optional<Where> where(Deadline d) {
        HostFiles.Read info = files.read("/proc/self/mountinfo", d);
        if (!info.ok()) {
            LOG.warn("{}: cannot read the mount table: {}", tag, info.error());
            return Optional.empty();
        }
        Optional<MountTable.Mount> m = MountTable.parse(info.text()).at(spec.mountPoint());
        if (m.isEmpty()) {
            return Optional.of(new Where(m, false));
        }
        boolean ours = m.get().source().equals(spec.device())
                || files.deviceNumber(spec.device(), d).filter(m.get().majorMinor()::equals).isPresent();
        return Optional.of(new Where(m, ours));
    }

    private boolean configuredReadOnly() {
        return Arrays.asList(spec.options().split(",")).contains("ro");
    }

    private CommandResult run(Deadline d, String... argv) {
        return runner.run(Command.of(d.cap(STEP), argv));
    }

    private static KitEvent event(String name) {
        return KitEvent.of(ResourceType.FILESYSTEM, name);
    }
}
