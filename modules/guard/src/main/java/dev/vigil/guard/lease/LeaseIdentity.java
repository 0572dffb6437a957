package dev.vigil.guard.lease;

/**
 * Who is using a lease device: the cluster it must be formatted for, this server's name and its
 * slot (the server's position in the cluster's configured server list, the same on every server).
 */
public record LeaseIdentity(String clusterName, String serverName, int serverIndex) {
    public LeaseIdentity {
        if (clusterName == null || clusterName.isBlank() || serverName == null || serverName.isBlank()) {
            throw new IllegalArgumentException("cluster and server names must not be blank");
        }
        if (serverIndex < 0) {
            throw new IllegalArgumentException("server index must not be negative: " + serverIndex);
        }
    }
}
