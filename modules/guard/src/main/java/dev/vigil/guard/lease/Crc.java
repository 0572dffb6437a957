package dev.vigil.guard.lease;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/** The checksum every on-disk block carries in its last used four bytes. */
final class Crc {
    private Crc() {
    }

    static int of(ByteBuffer block, int length) {
        CRC32 crc = new CRC32();
        ByteBuffer view = block.duplicate();
        view.position(0).limit(length);
        crc.update(view);
        return (int) crc.getValue();
    }
}
