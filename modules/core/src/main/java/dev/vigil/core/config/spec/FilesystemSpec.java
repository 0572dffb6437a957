package dev.vigil.core.config.spec;

import java.time.Duration;

/**
 * A filesystem on a shared block device, mounted at {@code mountPoint} with {@code options}
 * (after {@code fsck -p} when {@code fsck} is true).
 *
 * @param umountAttempts rounds of "stop the processes holding the mount, unmount again" before the
 *                       last resort {@code umount -l}
 * @param holderGrace    how long those processes get after SIGTERM before SIGKILL, and after SIGKILL
 */
public record FilesystemSpec(String device, String mountPoint, String fsType, String options, boolean fsck,
                             int umountAttempts, Duration holderGrace) implements ResourceSpec {

    @Override
    public String id() {
        return mountPoint;
    }

    @Override
    public String info() {
        return device + " " + mountPoint + " " + fsType;
    }
}
