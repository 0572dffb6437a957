package dev.vigil.daemon.notify;

import java.util.Arrays;
import java.util.List;

/**
 * The events an operator is told about besides the logs: the original's event forwarding (one
 * SNMP trap per event, {@link TrapSender}) and the counters JMX and {@code /metrics} show
 * ({@link EventCounters}). {@link OperatorLog} calls the methods whose log line it writes
 * (startup, shutdown, comm paths, server failure, local recovery), so a line and its trap can
 * never disagree; placement code calls the switchover and server-recovery methods itself, through
 * {@link OperatorLog#events()}.
 *
 * <p>Implementations return at once: they never block the calling actor.
 */
public interface ClusterEvents {

    /** Tells nobody: for code run without a daemon around it (tests of a single actor). */
    ClusterEvents NONE = new ClusterEvents() {
    };

    /** 100: this server finished starting. */
    default void startupComplete() {
    }

    /** 101: this server's daemon began to stop. */
    default void shutdownInitiated() {
    }

    /** 102: this server's daemon has stopped (its hierarchies are handled). */
    default void shutdownComplete() {
    }

    /** 110: an operator asked to move {@code hierarchy} to {@code toServer}; sent by the server asked. */
    default void switchoverInitiated(String hierarchy, String toServer) {
    }

    /**
     * 111 (when {@code recovered} is not empty) and 112 (when {@code failed} is not empty): the
     * switchover to {@code toServer} has ended; the lists hold resource tags.
     */
    default void switchoverComplete(String toServer, List<String> recovered, List<String> failed) {
    }

    /** 120: {@code server} failed (every comm path to it DEAD); sent by every surviving server. */
    default void serverFailureDetected(String server, String reason) {
    }

    /**
     * 121 (when {@code recovered} is not empty) and 122 (when {@code failed} is not empty): this
     * server has taken over what failed {@code server} ran; the lists hold resource tags.
     */
    default void serverRecoveryComplete(String server, List<String> recovered, List<String> failed) {
    }

    /** 130: local recovery of resource {@code tag} starts after {@code event}. */
    default void resourceRecoveryInitiated(String tag, String event) {
    }

    /** 131: local recovery of resource {@code tag} failed; its hierarchy is escalated. */
    default void resourceRecoveryFailed(String tag, String event) {
    }

    /** 132: local recovery of resource {@code tag} succeeded. */
    default void resourceRecoveryComplete(String tag, String event) {
    }

    /** 140: the comm path to {@code peer} over {@code localAddress}/{@code remoteAddress} is ALIVE again. */
    default void commPathUp(String peer, String localAddress, String remoteAddress) {
    }

    /** 141: the comm path to {@code peer} over {@code localAddress}/{@code remoteAddress} is DEAD. */
    default void commPathDown(String peer, String localAddress, String remoteAddress) {
    }

    /** Every event goes to each of {@code listeners}, in order. */
    static ClusterEvents all(ClusterEvents... listeners) {
        List<ClusterEvents> all = Arrays.asList(listeners.clone());
        return new ClusterEvents() {
            @Override
            public void startupComplete() {
                all.forEach(ClusterEvents::startupComplete);
            }

            @Override
            public void shutdownInitiated() {
                all.forEach(ClusterEvents::shutdownInitiated);
            }

            @Override
            public void shutdownComplete() {
                all.forEach(ClusterEvents::shutdownComplete);
            }

            @Override
            public void switchoverInitiated(String hierarchy, String toServer) {
                all.forEach(l -> l.switchoverInitiated(hierarchy, toServer));
            }

            @Override
            public void switchoverComplete(String toServer, List<String> recovered, List<String> failed) {
                all.forEach(l -> l.switchoverComplete(toServer, recovered, failed));
            }

            @Override
            public void serverFailureDetected(String server, String reason) {
                all.forEach(l -> l.serverFailureDetected(server, reason));
            }

            @Override
            public void serverRecoveryComplete(String server, List<String> recovered, List<String> failed) {
                all.forEach(l -> l.serverRecoveryComplete(server, recovered, failed));
            }

            @Override
            public void resourceRecoveryInitiated(String tag, String event) {
                all.forEach(l -> l.resourceRecoveryInitiated(tag, event));
            }

            @Override
            public void resourceRecoveryFailed(String tag, String event) {
                all.forEach(l -> l.resourceRecoveryFailed(tag, event));
            }

            @Override
            public void resourceRecoveryComplete(String tag, String event) {
                all.forEach(l -> l.resourceRecoveryComplete(tag, event));
            }

            @Override
            public void commPathUp(String peer, String localAddress, String remoteAddress) {
                all.forEach(l -> l.commPathUp(peer, localAddress, remoteAddress));
            }

            @Override
            public void commPathDown(String peer, String localAddress, String remoteAddress) {
                all.forEach(l -> l.commPathDown(peer, localAddress, remoteAddress));
            }
        };
    }
}
