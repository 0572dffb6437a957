package dev.vigil.daemon;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.daemon.cluster.ClusterFormation;
import dev.vigil.daemon.notify.Notifiers;
import dev.vigil.daemon.notify.OperatorLog;
import dev.vigil.daemon.notify.jmx.JmxConnector;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The life of the daemon across actor systems. A Pekko cluster member that the others have
 * downed (by the majority's downing rule or an operator) can never rejoin: its
 * actor system shuts down. Vigil must not silently die then, so this class notices why the actor
 * system stopped and, when it was downed or made to leave, logs it and starts a fresh actor
 * system (a new incarnation) that joins the cluster again, while the process keeps running.
 * Any other stop (admin request, signal, startup failure) ends the daemon with an exit code.
 * Every actor system after the server's first membership joins the other servers first
 * ({@link ClusterFormation}).
 */
public final class Daemon {
    private static final Duration RETRY_DELAY = Duration.ofSeconds(2);

    private final VigilConfig config;
    private final Environment env;
    private final String adminToken;
    private final Config pekkoOverrides;
    private final Runnable onFinalStop;
    private final OperatorLog log;
    private final Notifiers notifiers;
    private final JmxConnector jmx;
    private final CompletableFuture<Integer> stopped = new CompletableFuture<>();
    private final ScheduledExecutorService restarter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vigil-rejoin");
        t.setDaemon(true);
        return t;
    });
    private volatile ActorSystem<Guardian.Command> system;
    private volatile boolean stopRequested;
    private long lastIncarnation;

    private Daemon(VigilConfig config, Environment env, String adminToken, Config pekkoOverrides, Runnable onFinalStop) {
        this.config = config;
        this.env = env;
        this.adminToken = adminToken;
        this.pekkoOverrides = pekkoOverrides;
        this.onFinalStop = onFinalStop;
        this.notifiers = Notifiers.create(config);
        this.log = new OperatorLog(config.serverName(), notifiers.events());
        this.jmx = startJmx(config, notifiers, log);
    }

    /** The JMX connector when {@code vigil.jmx.enabled}, for the life of the process (across rejoins). */
    private static JmxConnector startJmx(VigilConfig config, Notifiers notifiers, OperatorLog log) {
        if (!config.jmx().enabled()) {
            return null;
        }
        try {
            JmxConnector connector = JmxConnector.start(config.jmx().port());
            log.jmxListening(JmxConnector.url(config.jmx().port()));
            return connector;
        } catch (IOException e) {
            notifiers.close();
            throw new IllegalStateException("the JMX connector cannot listen on 127.0.0.1:" + config.jmx().port() + " ("
                    + e.getMessage() + "); is jmx.port taken?", e);
        }
    }

    /**
     * Starts the first actor system of the daemon.
     *
     * @param onFinalStop run once when the daemon stops for good (not when it rejoins), during
     *                    CoordinatedShutdown: removes the pid file
     * @throws RuntimeException when the actor system cannot start (e.g. the cluster port is taken)
     */
    public static Daemon start(VigilConfig config, String adminToken, Runnable onFinalStop) {
        return start(config, adminToken, ConfigFactory.empty(), onFinalStop);
    }

    /** As {@link #start(VigilConfig, String, Runnable)}, with Pekko settings over the generated ones (tests). */
    public static Daemon start(VigilConfig config, String adminToken, Config pekkoOverrides, Runnable onFinalStop) {
        return start(config, Environment.real(config), adminToken, pekkoOverrides, onFinalStop);
    }

    /** As {@link #start(VigilConfig, String, Config, Runnable)}, acting through {@code env} (the failure simulations). */
    public static Daemon start(VigilConfig config, Environment env, String adminToken, Config pekkoOverrides,
                               Runnable onFinalStop) {
        Daemon daemon = new Daemon(config, env, adminToken, pekkoOverrides, onFinalStop);
        try {
            daemon.launch(false);
        } catch (RuntimeException e) {
            daemon.closeListeners();
            env.fencing().close();
            throw e;
        }
        return daemon;
    }

    /** The current actor system (a new one after every rejoin). */
    public ActorSystem<Guardian.Command> system() {
        return system;
    }

    /** Completes with the process exit code once the daemon has stopped for good. */
    public CompletionStage<Integer> whenStopped() {
        return stopped;
    }

    /** Stops the daemon for good through CoordinatedShutdown, taking its hierarchies out of service. */
    public CompletionStage<Integer> stop() {
        return stop(ShutdownMode.REMOVE);
    }

    /** Stops the daemon for good as {@code POST /v1/shutdown} with {@code mode} does. */
    public CompletionStage<Integer> stop(ShutdownMode mode) {
        stopRequested = true;
        log.shutdownRequested("stop of the daemon, mode \"" + mode.wireName() + "\"");
        CoordinatedShutdown.get(system).run(new StopReason.AdminRequest(mode));
        return stopped;
    }

    private synchronized void launch(boolean rejoining) {
        lastIncarnation = Math.max(System.currentTimeMillis(), lastIncarnation + 1);
        boolean othersFirst = ClusterFormation.joinsOthersFirst(config, rejoining);
        Config pekkoConfig = pekkoOverrides.withFallback(PekkoSettings.lifeRole(lastIncarnation))
                .withFallback(PekkoSettings.toConfig(config, othersFirst)).resolve();
        ActorSystem<Guardian.Command> sys = ActorSystem.create(
                Guardian.create(config, env, adminToken, lastIncarnation, rejoining, othersFirst, notifiers),
                config.cluster().name(), pekkoConfig);
        system = sys;
        CoordinatedShutdown cs = CoordinatedShutdown.get(sys);
        cs.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "vigil-shutdown-initiated", () -> {
            Optional<CoordinatedShutdown.Reason> reason = cs.getShutdownReason();
            if (rejoinsAfter(reason)) {
                log.downedRejoining(reason.get() == CoordinatedShutdown.clusterDowningReason()
                        ? "downed and removed from the cluster" : "made to leave the cluster by another server");
            } else {
                if (!(reason.orElse(null) instanceof StopReason)) {
                    log.shutdownRequested(describe(reason));
                }
                log.shutdownInitiated();
            }
            return CompletableFuture.completedFuture(Done.getInstance());
        });
        cs.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "vigil-shutdown-complete", () -> {
            if (!rejoinsAfter(cs.getShutdownReason())) {
                log.shutdownComplete();
                env.fencing().close();
                onFinalStop.run();
            }
            return CompletableFuture.completedFuture(Done.getInstance());
        });
        sys.getWhenTerminated().whenComplete((done, failure) -> afterTermination(cs));
    }

    private boolean rejoinsAfter(Optional<CoordinatedShutdown.Reason> reason) {
        return !stopRequested && reason.filter(r -> r == CoordinatedShutdown.clusterDowningReason()
                || r == CoordinatedShutdown.clusterLeavingReason()).isPresent();
    }

    private void afterTermination(CoordinatedShutdown cs) {
        Optional<CoordinatedShutdown.Reason> reason = cs.getShutdownReason();
        if (rejoinsAfter(reason)) {
            restarter.execute(this::relaunch);
        } else {
            finish(exitCode(reason));
        }
    }

    private void relaunch() {
        if (stopRequested) {
            finish(0);
            return;
        }
        try {
            launch(true);
        } catch (RuntimeException e) {
            log.rejoinAttemptFailed(String.valueOf(e.getMessage()));
            restarter.schedule(this::relaunch, RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void finish(int exitCode) {
        restarter.shutdown();
        closeListeners();
        stopped.complete(exitCode);
    }

    /** The SNMP sender (sending the shutdown traps still queued, a bounded wait) and the JMX connector. */
    private void closeListeners() {
        notifiers.close();
        if (jmx != null) {
            jmx.close();
        }
    }

    private static int exitCode(Optional<CoordinatedShutdown.Reason> reason) {
        if (reason.isEmpty()) {
            return 0;
        }
        CoordinatedShutdown.Reason r = reason.get();
        if (r instanceof StopReason own) {
            return own.exitCode();
        }
        if (r == CoordinatedShutdown.incompatibleConfigurationDetectedReason()) {
            return 2;
        }
        if (r == CoordinatedShutdown.clusterJoinUnsuccessfulReason()) {
            return 3;
        }
        return 0;
    }

    private static String describe(Optional<CoordinatedShutdown.Reason> reason) {
        if (reason.isEmpty() || reason.get() == CoordinatedShutdown.unknownReason()) {
            return "stop of the daemon";
        }
        CoordinatedShutdown.Reason r = reason.get();
        if (r == CoordinatedShutdown.jvmExitReason()) {
            return "signal to the process (SIGTERM or SIGINT)";
        }
        if (r == CoordinatedShutdown.incompatibleConfigurationDetectedReason()) {
            return "this server's cluster settings are incompatible with those of the other servers";
        }
        if (r == CoordinatedShutdown.clusterDowningReason() || r == CoordinatedShutdown.clusterLeavingReason()) {
            return "removed from the cluster while stopping";
        }
        return r.toString();
    }
}
