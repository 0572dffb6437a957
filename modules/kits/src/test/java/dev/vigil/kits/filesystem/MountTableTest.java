package dev.vigil.kits.filesystem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MountTableTest {
    private static final String INFO = String.join("\n",
            "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
            "40 27 7:3 / /share rw,noatime shared:12 master:1 - ext4 /dev/loop3 rw",
            "41 40 0:50 / /share ro,relatime - tmpfs tmpfs rw",
            "42 27 7:4 / /mnt/with\\040space rw - ext4 /dev/loop4 rw",
            "garbage line");

    @Test
    void theTopmostMountAtAPathIsWhatIsVisible() {
        MountTable.Mount m = MountTable.parse(INFO).at("/share").orElseThrow();
        assertEquals("tmpfs", m.fsType());
        assertTrue(m.readOnly());
    }

    @Test
    void optionalFieldsAndEscapedSpacesAreHandled() {
        MountTable.Mount m = MountTable.parse(INFO).at("/mnt/with space/").orElseThrow();
        assertEquals("7:4", m.majorMinor());
        assertEquals("/dev/loop4", m.source());
        assertEquals("ext4", MountTable.parse(INFO.replace("41 40", "#")).at("/share").orElseThrow().fsType());
    }

    @Test
    void anUnmountedPathIsEmpty() {
        assertTrue(MountTable.parse(INFO).at("/nowhere").isEmpty());
    }
}
