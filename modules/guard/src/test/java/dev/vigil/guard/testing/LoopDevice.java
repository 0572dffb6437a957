package dev.vigil.guard.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.vigil.guard.fence.Commands;

/** A sparse file attached as a loop device; {@link #close()} detaches it (tolerating "already detached"). */
public final class LoopDevice implements AutoCloseable {
    private final Path image;
    private final Path device;

    private LoopDevice(Path image, Path device) {
        this.image = image;
        this.device = device;
    }

    public static LoopDevice create(Path image, long bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return new LoopDevice(image, Path.of(TestHost.run("losetup", "-f", "--show", image.toString()).trim()));
    }

    public Path device() {
        return device;
    }

    public Path image() {
        return image;
    }

    /** Detaches now (the test of a vanished device); close() later is harmless. */
    public void detach() {
        TestHost.run("losetup", "-d", device.toString());
    }

    @Override
    public void close() {
        String attached = Commands.run(List.of("losetup", "-j", image.toString()), Duration.ofSeconds(10)).output();
        if (attached.contains(device + ":")) {
            TestHost.quietly("losetup", "-d", device.toString());
        }
    }
}
