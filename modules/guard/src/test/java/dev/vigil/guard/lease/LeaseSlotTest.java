package dev.vigil.guard.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class LeaseSlotTest {

    private static ByteBuffer block() {
        return LeaseDevice.allocate(4096, 4096);
    }

    @Test
    void slotSurvivesARoundTripThroughItsBlock() {
        LeaseSlot s = new LeaseSlot("n2", "powergres-/share/data", SlotState.WANTED, 42, 7, 1_700_000_000_000L, 10, 700);
        ByteBuffer b = block();
        s.encode(b);
        LeaseSlot.Decoded d = LeaseSlot.decode(b);
        assertTrue(d.valid(), String.valueOf(d.problem()));
        assertEquals(s, d.slot());
    }

    @Test
    void aFlippedBitIsABadCrcAndChangesTheSignature() {
        ByteBuffer b = block();
        new LeaseSlot("n1", "pg", SlotState.HELD, 3, 9, 0, 1, 700).encode(b);
        long before = LeaseSlot.decode(b).signature();
        b.put(60, (byte) (b.get(60) ^ 1));
        LeaseSlot.Decoded d = LeaseSlot.decode(b);
        assertFalse(d.valid());
        assertEquals("bad CRC (torn or corrupted write)", d.problem());
        assertNotEquals(before, d.signature());
    }

    @Test
    void aZeroedBlockIsNotAFreeSlot() {
        LeaseSlot.Decoded d = LeaseSlot.decode(block());
        assertFalse(d.valid());
        assertEquals("blank slot (zeroed since format)", d.problem());
    }

    @Test
    void overlongNamesAreStoredTruncated() {
        String longName = "x".repeat(300);
        ByteBuffer b = block();
        new LeaseSlot("n1", longName, SlotState.HELD, 1, 1, 0, 1, 700).encode(b);
        assertEquals(LeaseSlot.stored(longName, LeaseSlot.MAX_LEASE_NAME), LeaseSlot.decode(b).slot().leaseName());
        assertEquals(256, LeaseSlot.decode(b).slot().leaseName().length());
    }

    @Test
    void headerRoundTripsAndRejectsForeignBlocks() {
        ByteBuffer b = block();
        LeaseHeader h = new LeaseHeader(4096, 8, 128, "vigil", 5);
        h.encode(b);
        assertEquals(h, LeaseHeader.decode(b, new StringBuilder()).orElseThrow());
        assertEquals(1 + 8 * 128, h.totalBlocks());
        StringBuilder why = new StringBuilder();
        assertTrue(LeaseHeader.decode(block(), why).isEmpty());
        assertTrue(why.toString().startsWith("not a Vigil lease device"), why.toString());
    }
}
