package dev.vigil.daemon.notify;

import dev.vigil.core.config.VigilConfig;
import java.time.Instant;

/**
 * What a daemon tells about events besides its logs, kept for the life of the process (across
 * the actor systems of rejoins): the SNMP traps, the counters JMX and {@code /metrics} show, and
 * when the daemon started.
 */
public record Notifiers(TrapSender traps, EventCounters counters, Instant started) {

    public static Notifiers create(VigilConfig config) {
        String agent = config.localServer().host();
        return new Notifiers(new TrapSender(config.serverName(), config.snmp(), agent), new EventCounters(),
                Instant.now());
    }

    /** Every event to the counters, then as a trap. */
    public ClusterEvents events() {
        return ClusterEvents.all(counters, traps);
    }
}
