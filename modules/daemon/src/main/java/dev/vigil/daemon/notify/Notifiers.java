package dev.vigil.daemon.notify;

import dev.vigil.core.config.VigilConfig;
import java.time.Instant;

/**
 * What a daemon tells about events besides its logs, kept for the life of the process (across
 * the actor systems of rejoins): the SNMP traps (with the watch that takes over lk_configsnmp's
 * changes), the counters JMX and {@code /metrics} show, and when the daemon started.
 */
public record Notifiers(TrapSender traps, SnmpReload snmpReload, EventCounters counters, Instant started)
        implements AutoCloseable {

    /** How often the configuration files are looked at for new SNMP settings. */
    public static final long RELOAD_PERIOD_MILLIS = 2000;

    public static Notifiers create(VigilConfig config) {
        TrapSender traps = new TrapSender(config.serverName(), config.snmp(), config.localServer().host());
        SnmpReload reload = SnmpReload.start(config.sources().get(0), traps, config.serverName(), RELOAD_PERIOD_MILLIS);
        return new Notifiers(traps, reload, new EventCounters(), Instant.now());
    }

    /** Every event to the counters, then as a trap. */
    public ClusterEvents events() {
        return ClusterEvents.all(counters, traps);
    }

    /** The counters and the uptime for {@code GET /metrics} and JMX. */
    public Metrics metrics() {
        return new Metrics(counters, started);
    }

    /** Stops watching the configuration and sends the traps still queued (a bounded wait). */
    @Override
    public void close() {
        snmpReload.close();
        traps.close();
    }
}
