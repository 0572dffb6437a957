package dev.vigil.daemon;

import dev.vigil.core.config.ResourceConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.daemon.cluster.fencing.Fencing;
import dev.vigil.daemon.cluster.fencing.GuardFencing;
import dev.vigil.daemon.cluster.fencing.NoFencing;
import dev.vigil.daemon.notify.OperatorLog;
import dev.vigil.kits.KitOptions;
import dev.vigil.kits.Kits;
import dev.vigil.kits.RecoveryKit;
import java.io.IOException;
import java.util.function.Function;

/**
 * What the daemon acts on outside itself: the recovery kit of each resource and this server's
 * fencing. In production these are the real kits and the fencing guard process; the cluster
 * failure simulations swap in in-memory kits and an in-memory guard (and nothing else).
 *
 * @param kits    the kit of a resource
 * @param fencing this server's fencing, created once per daemon (it outlives a rejoin)
 */
public record Environment(Function<ResourceConfig, RecoveryKit> kits, Fencing fencing) {

    /** The real kits and, with {@code cluster.fencing.guard} on, the fencing guard process (started if needed). */
    public static Environment real(VigilConfig config) {
        KitOptions options = KitOptions.of(config);
        return new Environment(r -> Kits.create(r, options), fencing(config));
    }

    private static Fencing fencing(VigilConfig config) {
        OperatorLog log = new OperatorLog(config.serverName());
        if (!config.cluster().fencing().guard()) {
            log.fencingUnavailable("cluster.fencing.guard is off");
            return new NoFencing();
        }
        try {
            return GuardFencing.start(config);
        } catch (IOException e) {
            log.fencingUnavailable("the guard did not start: " + e.getMessage());
            return new NoFencing();
        }
    }
}
