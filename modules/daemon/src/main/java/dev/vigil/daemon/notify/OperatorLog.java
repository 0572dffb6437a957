package dev.vigil.daemon.notify;

import dev.vigil.core.LogType;
import dev.vigil.core.ResourceState;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * Every operator-facing line the daemon writes to the seven logs, in the manual's shapes, for
 * one server. Keeping the shapes in one class keeps them identical wherever an event happens and
 * gives docs/logs.md (and later SNMP and JMX) one place to follow.
 *
 * <p>Each line carries the server name in the MDC key {@link #SERVER_KEY}; the log pattern prints
 * it, so lines stay attributable even when several daemons share one JVM (the cluster tests).
 */
public final class OperatorLog {
    /** MDC key holding the name of the server that writes a line. */
    public static final String SERVER_KEY = "vigilServer";

    private final String server;
    private final ClusterEvents events;

    /** Lines only: no trap, no counter. */
    public OperatorLog(String server) {
        this(server, ClusterEvents.NONE);
    }

    /** Lines, and for the lines that are also events (startup, comm paths, recovery...) {@code events}. */
    public OperatorLog(String server, ClusterEvents events) {
        this.server = server;
        this.events = events;
    }

    public String server() {
        return server;
    }

    /**
     * Where events go besides the log (SNMP traps, JMX and metrics counters). The methods of this
     * class that write an event's line tell it already; code with an event that has no line here
     * (a switchover, a server's hierarchies taken over) tells it directly.
     */
    public ClusterEvents events() {
        return events;
    }

    // ---- main log: start and stop ----

    public void startupComplete() {
        info(LogType.LOG, "Vigil startup complete on server \"" + server + "\" AT: " + now());
        events.startupComplete();
    }

    public void rejoined() {
        info(LogType.LOG, "Vigil rejoined the cluster on server \"" + server + "\" AT: " + now());
    }

    public void joinedCluster(String cluster) {
        info(LogType.LOG, "server \"" + server + "\" joined cluster \"" + cluster + "\" AT: " + now());
    }

    public void joiningOthersFirst(long waitSeconds) {
        info(LogType.LOG, "server \"" + server + "\" has been a cluster member before: joining the other servers"
                + " first (forming the cluster alone after " + waitSeconds + " s without an answer)");
    }

    public void joinedOtherServers(String cluster) {
        info(LogType.LOG, "server \"" + server + "\" joined the running cluster \"" + cluster
                + "\" through the other servers AT: " + now());
    }

    public void formingClusterAlone(String cluster, long waitSeconds) {
        warn(LogType.LOG, "no other server answered server \"" + server + "\" within " + waitSeconds
                + " s: forming cluster \"" + cluster + "\" AT: " + now());
    }

    public void memberFileNotWritten(String file, String why) {
        warn(LogType.LOG, "server \"" + server + "\" cannot record its cluster membership in " + file + ": " + why
                + "; its next start forms a new cluster if no other server answers within 5 s");
    }

    public void notJoinedYet(String cluster) {
        warn(LogType.LOG, "server \"" + server + "\" has not joined cluster \"" + cluster
                + "\" yet: no other server answered; other servers are shown DEAD until they do");
    }

    public void shutdownRequested(String why) {
        info(LogType.LOG, "shutdown of server \"" + server + "\" requested: " + why);
    }

    public void shutdownStrategySet(String words, String how) {
        info(LogType.LOG, "shutdown strategy of server \"" + server + "\" set to \"" + words + "\" (" + how + ")");
    }

    public void shutdownInitiated() {
        info(LogType.LOG, "Vigil shutdown initiated on server \"" + server + "\" AT: " + now());
        events.shutdownInitiated();
    }

    public void shutdownComplete() {
        info(LogType.LOG, "Vigil shutdown complete on server \"" + server + "\" AT: " + now());
        events.shutdownComplete();
    }

    public void startupFailed(String why) {
        error(LogType.LOG, "Vigil startup failed on server \"" + server + "\": " + why);
    }

    /** This server was downed (by the majority's downing rule or an operator); the daemon starts a fresh member. */
    public void downedRejoining(String how) {
        String when = now();
        warn(LogType.LOG, "server \"" + server + "\" was " + how + " AT: " + when
                + "; starting a fresh cluster member to rejoin");
        warn(LogType.LCM, "server \"" + server + "\" was " + how + " AT: " + when + "; rejoining");
    }

    public void rejoinAttemptFailed(String why) {
        error(LogType.LOG, "server \"" + server + "\" could not start a fresh cluster member: " + why
                + "; trying again");
    }

    // ---- comm paths and servers (LCM and main log) ----

    public void commPathFailed(String peer, String localAddress, String remoteAddress) {
        warn(LogType.LCM, "COMMUNICATION TO " + peer + " BY " + localAddress + "/" + remoteAddress
                + " FAILED AT: " + now());
        events.commPathDown(peer, localAddress, remoteAddress);
    }

    public void commPathRestored(String peer, String localAddress, String remoteAddress) {
        info(LogType.LCM, "COMMUNICATION TO " + peer + " BY " + localAddress + "/" + remoteAddress
                + " RESTORED AT: " + now());
        events.commPathUp(peer, localAddress, remoteAddress);
    }

    public void machineFailure(String peer, int paths) {
        warn(LogType.LOG, "MACHINE FAILURE: server \"" + peer + "\" is DEAD (all " + paths
                + " comm paths down) AT: " + now());
        events.serverFailureDetected(peer, "DEAD on all " + paths + " comm paths");
    }

    public void machineLeft(String peer) {
        info(LogType.LOG, "server \"" + peer + "\" is DEAD (orderly shutdown) AT: " + now());
    }

    public void machineAlive(String peer) {
        info(LogType.LOG, "server \"" + peer + "\" is ALIVE AT: " + now());
    }

    /** Only one path to a peer is left ALIVE out of several: one more failure and it is DEAD. */
    public void noRedundantPath(String peer, String addresses) {
        warn(LogType.LOG, "server \"" + peer + "\" is reachable over one comm path only (" + addresses
                + "): no redundant comm path AT: " + now());
    }

    public void redundantPathsAgain(String peer, int alive, int total) {
        info(LogType.LOG, "server \"" + peer + "\" has redundant comm paths again (" + alive + " of " + total
                + " ALIVE) AT: " + now());
    }

    /**
     * @param path "comm path NAME" for a comm path network, "the cluster connection" for path 1
     */
    public void heartbeatBindFailed(String path, String endpoint, String reason, long retryMillis) {
        String line = "cannot listen for heartbeats of " + path + " on " + endpoint + " (" + reason
                + "): its paths stay DEAD; trying again every " + retryMillis + " ms";
        warn(LogType.LCM, line);
        warn(LogType.LOG, line);
    }

    public void heartbeatBound(String path, String endpoint) {
        String line = "listening for heartbeats of " + path + " on " + endpoint + " AT: " + now();
        info(LogType.LCM, line);
        info(LogType.LOG, line);
    }

    public void heartbeatIgnored(String path, String from, String reason) {
        warn(LogType.LCM, "ignoring datagrams on " + path + " from " + from + ": " + reason
                + " (reported once)");
    }

    public void heartbeatStopped(String reason) {
        error(LogType.LOG, "the heartbeats of every comm path stopped on server \"" + server + "\": " + reason
                + "; restart the daemon");
    }

    // ---- membership (main log) ----

    /** Vigil's downing rule removes a peer: DEAD on every path for down-after, seen by a majority. */
    public void removingFromCluster(String peer, int paths, long downAfterMillis, int alive, int total) {
        warn(LogType.LOG, "removing server \"" + peer + "\" from the cluster: DEAD on all " + paths
                + " comm paths for " + downAfterMillis + " ms, and this server sees " + alive + " of " + total
                + " servers ALIVE AT: " + now());
    }

    /** The downing rule holds back: this server sees no majority, so it may be the one cut off. */
    public void notRemovingWithoutMajority(String peer, int alive, int total) {
        warn(LogType.LOG, "server \"" + peer + "\" is DEAD on all comm paths but is not removed from the cluster:"
                + " this server sees only " + alive + " of " + total + " servers ALIVE, not a majority;"
                + " it rejoins as a new member when its daemon restarts");
    }

    // ---- remote exec (remote exec log, on the requesting and on the target server) ----

    /** The requester sent a request over the cluster connection. */
    public void remoteExecSent(String requester, String target, String command) {
        info(LogType.REMOTE_EXEC, request(requester, target, command) + "sent AT: " + now());
    }

    /** The target starts running a request (also when it is its own requester). */
    public void remoteExecStarted(String requester, String target, String command) {
        info(LogType.REMOTE_EXEC, request(requester, target, command) + "started AT: " + now());
    }

    /** How a request ended, on either side: the exit code and how long it ran. */
    public void remoteExecEnded(String requester, String target, String command, int exitCode, boolean timedOut,
                                long elapsedMillis) {
        if (timedOut) {
            warn(LogType.REMOTE_EXEC, request(requester, target, command) + "timed out after " + elapsedMillis
                    + " ms, killed");
        } else {
            info(LogType.REMOTE_EXEC, request(requester, target, command) + "exit " + exitCode + " after "
                    + elapsedMillis + " ms");
        }
    }

    /** The requester could not send a request, or got no answer. */
    public void remoteExecFailed(String requester, String target, String command, String reason) {
        warn(LogType.REMOTE_EXEC, request(requester, target, command) + "failed: " + reason);
    }

    private static String request(String requester, String target, String command) {
        return "request from " + requester + " to " + target + ": " + command + ": ";
    }

    // ---- resources (LCD log) ----

    public void resourceStateChanged(String tag, ResourceState from, ResourceState to, String reason) {
        info(LogType.LCD, "resource \"" + tag + "\" on \"" + server + "\": " + from + " -> " + to
                + " (" + reason + ")");
    }

    // ---- resource actions (main log) ----

    /** {@code action} is restore, remove or probe; {@code what} the kit's summary of what it did. */
    public void actionSucceeded(String action, String tag, String what) {
        info(LogType.LOG, action + " of resource \"" + tag + "\" on \"" + server + "\" succeeded: " + what);
    }

    public void actionFailed(String action, String tag, String kind, String reason) {
        error(LogType.LOG, action + " of resource \"" + tag + "\" on \"" + server + "\" failed (" + kind + "): "
                + reason);
    }

    public void checkFailed(String tag, String event, String kind, String reason) {
        warn(LogType.LOG, "quickCheck of resource \"" + tag + "\" on \"" + server + "\" failed, event \"" + event
                + "\" (" + kind + "): " + reason);
    }

    public void watchFired(String tag, String what) {
        warn(LogType.LOG, "resource \"" + tag + "\" on \"" + server + "\": " + what + "; checking it now");
    }

    // ---- local recovery (main log, the manual's shapes) ----

    public void recoveryStarting(String eventClass, String eventName, String tag) {
        warn(LogType.LOG, "RECOVERY class=" + eventClass + " event=" + eventName + " name=" + tag + " STARTING AT: "
                + now());
        events.resourceRecoveryInitiated(tag, eventClass + "," + eventName);
    }

    public void failureEvent(String tag, String id, String event) {
        warn(LogType.LOG, "recover: resource \"" + tag + "\" with id \"" + id + "\" has experienced failure event \""
                + event + "\"");
    }

    /** Before recovering {@code tag}: {@code dependency}, which it depends on, fails its check too; it is recovered first. */
    public void dependencyFailedToo(String tag, String dependency, String event, String reason) {
        warn(LogType.LOG, "recover: resource \"" + tag + "\" depends on resource \"" + dependency + "\", whose check "
                + "fails too (event \"" + event + "\"): " + reason + "; recovering \"" + dependency + "\" first");
    }

    public void recoveryAttempt(String tag, String event) {
        info(LogType.LOG, "recover: attempting recovery using resource \"" + tag + "\" after failure by event \""
                + event + "\" on resource \"" + tag + "\"");
    }

    public void recoveryAttemptFailed(String tag, int attempt, int attempts, String reason) {
        warn(LogType.LOG, "recover: attempt " + attempt + " of " + attempts + " at local recovery of resource \"" + tag
                + "\" failed: " + reason);
    }

    public void recoverySucceeded(String tag, String event, int attempt, int attempts) {
        info(LogType.LOG, "recover: local recovery of resource \"" + tag + "\" after event \"" + event
                + "\" succeeded (attempt " + attempt + " of " + attempts + ")");
        events.resourceRecoveryComplete(tag, event);
    }

    public void noLocalRecovery(String tag, String event, String why) {
        error(LogType.LOG, "recover: no local recovery of resource \"" + tag + "\" after event \"" + event + "\": " + why);
        events.resourceRecoveryFailed(tag, event);
    }

    /**
     * Every attempt failed: the IP kit's line ({@code Vigil: pingfail: Local recovery failed for IP
     * instance <tag>}) for an IP resource, then the recover program's two lines.
     */
    public void allRecoveryAttemptsFailed(String tag, boolean ipInstance, String eventClass, String eventName) {
        String event = eventClass + "," + eventName;
        if (ipInstance) {
            error(LogType.LOG, "Vigil: " + eventName + ": Local recovery failed for IP instance " + tag);
        }
        error(LogType.LOG, "recover: recovery failed after event \"" + event + "\" using recovery at resource \"" + tag
                + "\" on failing resource \"" + tag + "\"");
        error(LogType.LOG, "recover: all attempts at local recovery have failed after event \"" + event
                + "\" occurred to resource \"" + tag + "\"");
        events.resourceRecoveryFailed(tag, event);
    }

    // ---- hierarchies (main log) ----

    public void hierarchyInService(String hierarchy, String why) {
        info(LogType.LOG, "hierarchy \"" + hierarchy + "\" is in service on \"" + server + "\" (" + why + ")");
    }

    public void hierarchyOutOfService(String hierarchy, String why) {
        info(LogType.LOG, "hierarchy \"" + hierarchy + "\" is out of service on \"" + server + "\" (" + why + ")");
    }

    /**
     * A step that starts {@code resource} waits for a fresh proof of this server's right to run
     * the hierarchy: the last one aged ({@code why}) while the daemon was held up.
     */
    public void waitingForProof(String hierarchy, String resource, String why, java.time.Duration patience) {
        warn(LogType.LOG, "hierarchy \"" + hierarchy + "\" on \"" + server + "\": starting resource \"" + resource
                + "\" waits up to " + patience.toSeconds() + " s for a fresh proof of its right to run it: " + why
                + " (the daemon was held up)");
    }

    public void hierarchyRestoreFailed(String hierarchy, String why) {
        error(LogType.LOG, "hierarchy \"" + hierarchy + "\" could not be brought in service on \"" + server + "\": "
                + why);
    }

    public void hierarchyEscalated(String hierarchy, String why) {
        error(LogType.LOG, "hierarchy \"" + hierarchy + "\" is taken out of service on \"" + server + "\": " + why);
    }

    public void hierarchyAdopted(String hierarchy) {
        info(LogType.LOG, "hierarchy \"" + hierarchy + "\" adopted on \"" + server
                + "\": all its resources were already in service here");
    }

    public void hierarchyPartlyRunning(String hierarchy, String found) {
        warn(LogType.LOG, "hierarchy \"" + hierarchy + "\" was partly in service on \"" + server + "\" at start ("
                + found + "): taking it out of service");
    }

    public void automaticRestore(String hierarchy, boolean restoring, String why) {
        info(LogType.LOG, "automatic restore of hierarchy \"" + hierarchy + "\" on \"" + server + "\" "
                + (restoring ? "starts" : "skipped") + ": " + why);
    }

    // ---- main log: placement (failover, switchover, split-brain safety) ----

    /** A placement decision that changes something: the one-line reason operators ask for first. */
    public void placementDecided(String hierarchy, String owner, long generation, String reason) {
        info(LogType.LOG, "placement of hierarchy \"" + hierarchy + "\": " + reason + " (owner " + owner
                + ", generation " + generation + ")");
    }

    /** Nothing can happen yet, and why (logged once per different reason). */
    public void placementWaiting(String hierarchy, String reason) {
        info(LogType.LOG, "placement of hierarchy \"" + hierarchy + "\" waits: " + reason);
    }

    /** This server must stop the hierarchy at once: it lost its quorum or its disk lease. */
    public void selfFencing(String hierarchy, String why) {
        error(LogType.LOG, "taking hierarchy \"" + hierarchy + "\" out of service on " + server
                + " at once: " + why + " AT: " + now());
    }

    public void maintenance(String hierarchy, boolean on) {
        warn(LogType.LOG, on ? "hierarchy \"" + hierarchy + "\" is in maintenance mode: checks, local recovery and failover"
                + " suspended; resources left as they are"
                : "hierarchy \"" + hierarchy + "\" left maintenance mode: health checked again, protection resumed");
    }

    public void leaseAcquired(String hierarchy, long generation) {
        info(LogType.LOG, "disk lease of hierarchy \"" + hierarchy + "\" acquired by " + server + " (lease generation "
                + generation + ")");
    }

    public void leaseNotHeld(String hierarchy, String why) {
        warn(LogType.LOG, "disk lease of hierarchy \"" + hierarchy + "\" not held by " + server + ": " + why);
    }

    public void fencingUnavailable(String why) {
        error(LogType.LOG, "no fencing guard on server \"" + server + "\": " + why
                + "; a frozen or killed daemon would leave its resources running unprotected");
    }

    public void actionRequested(String action, String hierarchy, String requestedTag) {
        info(LogType.LOG, "perform_action -t " + requestedTag + " -a " + action + " on \"" + server
                + "\" (hierarchy \"" + hierarchy + "\")");
    }

    /** An operator asked (through {@code via}) to bring {@code hierarchy} in service on {@code to}: trap 110. */
    public void switchoverRequested(String hierarchy, String to, String via) {
        info(LogType.LOG, "switchover of hierarchy \"" + hierarchy + "\" to \"" + to + "\" requested on \"" + server
                + "\" (" + via + ") AT: " + now());
        events.switchoverInitiated(hierarchy, to);
    }

    /** The switchover ended: traps 111 (recovered resources) and 112 (failed ones). */
    public void switchoverEnded(String hierarchy, String to, List<String> recovered,
                                List<String> failed, String what) {
        if (failed.isEmpty()) {
            info(LogType.LOG, "switchover of hierarchy \"" + hierarchy + "\" to \"" + to + "\" complete: " + what);
        } else {
            error(LogType.LOG, "switchover of hierarchy \"" + hierarchy + "\" to \"" + to + "\" failed: " + what);
        }
        events.switchoverComplete(to, recovered, failed);
    }

    public void actionRefused(String action, String hierarchy, String why) {
        warn(LogType.LOG, action + " of hierarchy \"" + hierarchy + "\" on \"" + server + "\" refused: " + why);
    }

    // ---- JMX (main log) ----

    public void jmxListening(String url) {
        info(LogType.LOG, "JMX connector listening at " + url + " AT: " + now());
    }

    public void jmxUnavailable(String why) {
        error(LogType.LOG, "the JMX MBeans of server \"" + server + "\" are not available: " + why);
    }

    // ---- SNMP log ----

    /** {@code DATE: Trap nnn [message] sent to DEST} (+ {@code  :resource_string} for traps naming resources). */
    public void trapSent(int number, String message, String destination, Optional<String> resourceString) {
        info(LogType.SNMP, now() + ": Trap " + number + " [" + message + "] sent to " + destination
                + resourceString.map(r -> " :" + r).orElse(""));
    }

    public void snmpSettingsReloaded(List<String> destinations, String community, String version) {
        info(LogType.SNMP, now() + ": configuration reloaded: trap destinations " + (destinations.isEmpty() ? "none"
                : String.join(", ", destinations)) + " (community " + community + ", " + version + ")");
    }

    public void snmpError(String what) {
        error(LogType.SNMP, now() + ": Error: " + what);
    }

    // ---- plumbing ----

    /** Now in the manual's date shape, e.g. {@code Thu Oct 21 20:46:52 JST 2004}. */
    public static String now() {
        return LogType.manualDate(ZonedDateTime.now());
    }

    private void info(LogType type, String message) {
        write(type, Level.INFO, message);
    }

    private void warn(LogType type, String message) {
        write(type, Level.WARN, message);
    }

    private void error(LogType type, String message) {
        write(type, Level.ERROR, message);
    }

    private void write(LogType type, Level level, String message) {
        String previous = MDC.get(SERVER_KEY);
        MDC.put(SERVER_KEY, server);
        try {
            logger(type).atLevel(level).log(message);
        } finally {
            if (previous == null) {
                MDC.remove(SERVER_KEY);
            } else {
                MDC.put(SERVER_KEY, previous);
            }
        }
    }

    private static Logger logger(LogType type) {
        return LoggerFactory.getLogger(type.loggerName());
    }
}
