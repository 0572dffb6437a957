package dev.vigil.kits.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.kits.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JVM and the commands behind a prefix ({@code env}, which changes nothing) must read the same. */
class HostFilesTest {
    private static final Deadline SOON = Deadline.after(Duration.ofSeconds(10));
    private final HostFiles jvm = new HostFiles(CommandRunner.local());
    private final HostFiles behindPrefix = new HostFiles(new CommandRunner(List.of("env")));

    @Test
    void withoutAPrefixTheJvmReadsAndBehindOneCommandsDo() {
        assertTrue(jvm.inJvm());
        assertFalse(behindPrefix.inJvm());
    }

    @Test
    void bothReadAFileTheSame(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("flags"), "0x1003\n");
        for (HostFiles files : List.of(jvm, behindPrefix)) {
            assertEquals(new HostFiles.Read("0x1003\n", ""), files.read(file.toString(), SOON));
        }
    }

    @Test
    void bothNameTheErrorAsTheCLibraryDoes(@TempDir Path dir) {
        for (HostFiles files : List.of(jvm, behindPrefix)) {
            HostFiles.Read missing = files.read(dir.resolve("carrier").toString(), SOON);
            assertTrue(missing.missing(), missing.toString());
            assertEquals(new HostFiles.Read("", "Is a directory"), files.read(dir.toString(), SOON));
        }
    }

    @Test
    void aMissingCatIsNotAMissingFile(@TempDir Path dir) {
        HostFiles noCat = new HostFiles(new CommandRunner(List.of("env", "PATH=" + dir)));
        HostFiles.Read r = noCat.read("/proc/self/mountinfo", SOON);
        assertFalse(r.ok() || r.missing(), r.toString());
        assertTrue(r.error().contains("`cat /proc/self/mountinfo` exited 127"), r.error());
    }

    @Test
    void bothGiveDeviceNumbersAsMountinfoPrintsThem(@TempDir Path dir) throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("null"), Path.of("/dev/null"));
        for (HostFiles files : List.of(jvm, behindPrefix)) {
            assertEquals(Optional.of("1:3"), files.deviceNumber(link.toString(), SOON));
            assertEquals(Optional.empty(), files.deviceNumber(dir.resolve("sdz").toString(), SOON));
        }
    }

    @Test
    void largeDeviceNumbersAreDecodedAsTheCLibraryDoes(@TempDir Path dir) {
        TestHost.require("the device number test (mknod)", "mknod");
        String node = dir.resolve("nvme").toString();
        TestHost.sh("mknod", node, "b", "4095", "1048575");
        for (HostFiles files : List.of(jvm, behindPrefix)) {
            assertEquals(Optional.of("4095:1048575"), files.deviceNumber(node, SOON));
        }
    }
}
