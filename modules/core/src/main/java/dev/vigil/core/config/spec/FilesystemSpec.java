package dev.vigil.core.config.spec;

/**
 * A filesystem on a shared block device, mounted at {@code mountPoint} with {@code options}
 * (after {@code fsck -p} when {@code fsck} is true).
 */
public record FilesystemSpec(String device, String mountPoint, String fsType, String options, boolean fsck)
        implements ResourceSpec {

    @Override
    public String id() {
        return mountPoint;
    }

    @Override
    public String info() {
        return device + " " + mountPoint + " " + fsType;
    }
}
