package dev.vigil.guard.lease;

import java.nio.file.Path;

/**
 * A snapshot of this server's claim on one lease, cheap to take from any thread (it never waits
 * for I/O): for status pages, JMX and the daemon's decisions.
 *
 * @param leaseName the lease (hierarchy tag)
 * @param leaseIndex the index its name hashes to, -1 before the header was read
 * @param device the lease device
 * @param server this server's name
 * @param state this server's claim
 * @param generation the generation of the current or last claim, 0 if none
 * @param validForMillis how much longer this server may act as the owner (0 unless held)
 * @param lastRenewalAgoMillis time since the start of the last successful HELD write, -1 if none
 * @param holder the server last seen holding the lease (live HELD or PARKED), or null
 * @param lastError the last I/O or consistency error, or null
 */
public record LeaseStatus(String leaseName, int leaseIndex, Path device, String server, LeaseState state,
                          long generation, long validForMillis, long lastRenewalAgoMillis, String holder,
                          String lastError) {
}
