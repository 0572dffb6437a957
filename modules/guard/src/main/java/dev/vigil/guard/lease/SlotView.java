package dev.vigil.guard.lease;

import java.time.Instant;

/**
 * One server slot as this server observed it: what the slot says (nothing when it cannot be
 * trusted, then {@code problem} says why) and for how long this server has seen it unchanged.
 *
 * @param serverIndex the slot's index (the server's position in the cluster's server list)
 * @param slot the decoded slot, or null when corrupt
 * @param problem why the slot cannot be trusted, or null
 * @param staleForMillis how long this server has seen the slot's content unchanged, by its own clock
 * @param expired true when a non-free slot was seen unchanged long enough to be ignored
 * @param mine true for this server's own slot
 */
public record SlotView(int serverIndex, LeaseSlot slot, String problem, long staleForMillis, boolean expired,
                       boolean mine) {

    public boolean corrupt() {
        return slot == null;
    }

    public Instant writtenAt() {
        return slot == null ? null : Instant.ofEpochMilli(slot.wallClockMillis());
    }

    /** One line for logs and status: {@code slot 1 n2 HELD generation 4 counter 812 (unchanged for 30 ms)}. */
    public String describe() {
        String head = "slot " + serverIndex + (mine ? " (this server)" : "");
        if (slot == null) {
            return head + " unreadable: " + problem + " (unchanged for " + staleForMillis + " ms"
                    + (expired ? ", expired)" : ")");
        }
        return head + " " + (slot.serverName().isEmpty() ? "-" : slot.serverName()) + " " + slot.state()
                + " generation " + slot.generation() + " counter " + slot.counter() + " (unchanged for "
                + staleForMillis + " ms" + (expired ? ", expired)" : ")");
    }
}
