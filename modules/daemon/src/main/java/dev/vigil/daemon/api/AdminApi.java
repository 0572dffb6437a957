package dev.vigil.daemon.api;

import dev.vigil.core.ShutdownStrategy;
import dev.vigil.core.config.ConfigReader;
import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.daemon.ShutdownMode;
import dev.vigil.daemon.StopReason;
import dev.vigil.daemon.cluster.ShutdownStrategyFile;
import dev.vigil.daemon.cluster.StatusBoard;
import dev.vigil.daemon.hierarchy.HierarchyMoves;
import dev.vigil.daemon.hierarchy.HierarchySupervisor;
import dev.vigil.daemon.notify.Metrics;
import dev.vigil.daemon.notify.OperatorLog;
import dev.vigil.daemon.remote.RemoteExec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The local admin API the commands talk to: HTTP on 127.0.0.1 only, every request authenticated
 * with the token of {@link AdminToken}. {@code GET /v1/status} returns the {@link ClusterStatus}
 * of the {@link StatusBoard}; {@code POST /v1/shutdown} accepts a stop request and then stops the
 * daemon through CoordinatedShutdown; {@code POST /v1/hierarchies/{tag}/actions} is
 * perform_action ({@link ActionRoute}); {@code POST /v1/remote-exec} runs a command on a server of
 * the cluster ({@link RemoteExecRoute}). Every answer, errors included, is JSON (see docs/admin-api.md),
 * except {@code GET /metrics}: the same status and the event counters in Prometheus' text format,
 * the one route without the token (read-only, no secret in it, and a scraper cannot read the
 * root-only token file; the API listens on 127.0.0.1 only). See docs/jmx-metrics.md.
 */
public final class AdminApi extends AllDirectives {
    /** How long {@code GET /v1/status} waits for the status board before answering 503. */
    public static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);
    /** Delay between answering a shutdown request and starting the shutdown, so the answer leaves first. */
    private static final Duration SHUTDOWN_DELAY = Duration.ofMillis(200);
    private static final String ROUTES = "GET /v1/status, POST /v1/shutdown, POST /v1/hierarchies/{tag}/actions, "
            + "POST /v1/hierarchies/{tag}/maintenance, POST /v1/hierarchies/{tag}/switchover, "
            + "POST /v1/remote-exec, POST /v1/shutdown-strategy, GET /metrics";

    /** How long the API waits for the status board, and for an action on a hierarchy. */
    public record Limits(Duration status, Function<HierarchyConfig, Duration> action) {
        /** 2 s for status; an action its hierarchy's {@link HierarchyConfig#actionTimeout()}. */
        public static final Limits DEFAULT = new Limits(STATUS_TIMEOUT, HierarchyConfig::actionTimeout);
    }

    private final ActorSystem<?> system;
    private final ActorRef<StatusBoard.Command> board;
    private final String token;
    private final VigilConfig config;
    private final Limits limits;
    private final OperatorLog log;
    private final ActionRoute actions;
    private final RemoteExecRoute remoteExec;
    private final Metrics metrics;
    private final SwitchoverRoute switchover;

    /**
     * @param supervisors the supervisor of every hierarchy this server may run, by hierarchy tag
     * @param remoteExec  this server's remote execution actor, behind {@code POST /v1/remote-exec}
     * @param metrics     the counters and uptime behind {@code GET /metrics}
     */
    public AdminApi(ActorSystem<?> system, ActorRef<StatusBoard.Command> board,
                    Map<String, ActorRef<HierarchySupervisor.Command>> supervisors,
                    ActorRef<RemoteExec.Command> remoteExec, VigilConfig config, String token,
                    Limits limits, OperatorLog log, Metrics metrics) {
        this.system = system;
        this.board = board;
        this.remoteExec = new RemoteExecRoute(system, remoteExec);
        this.token = token;
        this.config = config;
        this.limits = limits;
        this.log = log;
        this.actions = new ActionRoute(system, supervisors, config, limits.action());
        this.metrics = metrics;
        this.switchover = new SwitchoverRoute(system, config, new HierarchyMoves(system, config, supervisors, remoteExec,
                log));
    }

    /** Binds the API on 127.0.0.1:{@code port}; the binding is unbound and drained during CoordinatedShutdown. */
    public CompletionStage<ServerBinding> bind(int port) {
        return Http.get(system).newServerAt("127.0.0.1", port).bind(route())
                .thenApply(binding -> binding.addToCoordinatedShutdown(Duration.ofSeconds(3), system));
    }

    public Route route() {
        Route routes = concat(
                path(PathMatchers.segment("v1").slash("status"),
                        () -> concat(get(this::status), methodNotAllowed(HttpMethods.GET))),
                path(PathMatchers.segment("v1").slash("shutdown"),
                        () -> concat(post(this::shutdown), methodNotAllowed(HttpMethods.POST))),
                path(PathMatchers.segment("v1").slash("hierarchies").slash(PathMatchers.segment()).slash("actions"),
                        tag -> concat(post(() -> actions.route(tag)), methodNotAllowed(HttpMethods.POST))),
                path(PathMatchers.segment("v1").slash("hierarchies").slash(PathMatchers.segment()).slash("maintenance"),
                        tag -> concat(post(() -> actions.maintenance(tag)), methodNotAllowed(HttpMethods.POST))),
                path(PathMatchers.segment("v1").slash("shutdown-strategy"),
                        () -> concat(post(this::shutdownStrategy), methodNotAllowed(HttpMethods.POST))),
                path(PathMatchers.segment("v1").slash("hierarchies").slash(PathMatchers.segment()).slash("switchover"),
                        tag -> concat(post(() -> switchover.route(tag)), methodNotAllowed(HttpMethods.POST))),
                path(PathMatchers.segment("v1").slash("remote-exec"),
                        () -> concat(post(remoteExec::route), methodNotAllowed(HttpMethods.POST))),
                extractRequest(req -> complete(Responses.error(StatusCodes.NOT_FOUND, "no such route: "
                        + req.method().value() + " " + req.getUri().path() + " (routes: " + ROUTES + ")"))));
        ExceptionHandler bug = ExceptionHandler.newBuilder()
                .match(Exception.class, e -> {
                    system.log().error("admin API request failed", e);
                    return complete(Responses.error(StatusCodes.INTERNAL_SERVER_ERROR, "internal error: " + e));
                })
                .build();
        Route metricsRoute = path("metrics", () -> concat(get(this::metrics), methodNotAllowed(HttpMethods.GET)));
        return handleExceptions(bug, () -> concat(metricsRoute, optionalHeaderValueByName("Authorization", header ->
                AdminToken.matches(token, header) ? routes : unauthorized())));
    }

    private Route unauthorized() {
        List<HttpHeader> challenge = List.of(RawHeader.create("WWW-Authenticate", "Bearer"));
        return complete(Responses.error(StatusCodes.UNAUTHORIZED,
                "missing or wrong admin token: send the header \"Authorization: Bearer <token>\" with the "
                        + "contents of " + config.admin().tokenFile() + " (readable by root only)").addHeaders(challenge));
    }

    private Route status() {
        CompletionStage<ClusterStatus> answer = AskPattern.ask(board, StatusBoard.GetStatus::new, limits.status(),
                system.scheduler());
        return onComplete(answer, result -> complete(result.isSuccess()
                ? Responses.json(StatusCodes.OK, Json.write(result.get()))
                : Responses.error(StatusCodes.SERVICE_UNAVAILABLE, "status not available: the daemon's status board did "
                        + "not answer within " + limits.status().toMillis() + " ms; try again")));
    }

    private Route metrics() {
        CompletionStage<ClusterStatus> answer = AskPattern.ask(board, StatusBoard.GetStatus::new, limits.status(),
                system.scheduler());
        return onComplete(answer, result -> complete(result.isSuccess()
                ? HttpResponse.create().withStatus(StatusCodes.OK).withEntity(ContentTypes.parse(Metrics.CONTENT_TYPE),
                        metrics.render(result.get()).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                : Responses.error(StatusCodes.SERVICE_UNAVAILABLE, "metrics not available: the daemon's status board "
                        + "did not answer within " + limits.status().toMillis() + " ms; try again")));
    }

    private Route shutdown() {
        return entity(Unmarshaller.entityToString(), body -> {
            JsonBody.Choice mode = JsonBody.choice(body, "mode", ShutdownMode.wireNames());
            return mode.value().flatMap(ShutdownMode::fromWireName).map(this::acceptShutdown)
                    .orElseGet(() -> complete(Responses.error(StatusCodes.BAD_REQUEST, mode.error())));
        });
    }

    /** Sets this server's shutdown strategy, persisted in the state directory so that it survives a restart. */
    private Route shutdownStrategy() {
        List<String> words = List.of(ConfigReader.spelling(ShutdownStrategy.SWITCHOVER),
                ConfigReader.spelling(ShutdownStrategy.DO_NOT_SWITCHOVER));
        return entity(Unmarshaller.entityToString(), body -> {
            JsonBody.Choice choice = JsonBody.choice(body, "strategy", words);
            if (choice.value().isEmpty()) {
                return complete(Responses.error(StatusCodes.BAD_REQUEST, choice.error()));
            }
            ShutdownStrategy strategy = choice.value().get().equals(words.get(0))
                    ? ShutdownStrategy.SWITCHOVER : ShutdownStrategy.DO_NOT_SWITCHOVER;
            try {
                ShutdownStrategyFile.write(config.stateDir(), strategy);
            } catch (java.io.IOException e) {
                return complete(Responses.error(StatusCodes.INTERNAL_SERVER_ERROR, "the shutdown strategy cannot be "
                        + "saved in " + config.stateDir().resolve(ShutdownStrategyFile.NAME) + ": " + e.getMessage()
                        + "; it is unchanged"));
            }
            board.tell(new StatusBoard.SetShutdownStrategy(strategy));
            log.shutdownStrategySet(strategy.words(), "admin API");
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("server", config.serverName());
            answer.put("shutdownStrategy", strategy.name());
            return complete(Responses.json(StatusCodes.OK, Json.write(answer)));
        });
    }

    private Route acceptShutdown(ShutdownMode mode) {
        log.shutdownRequested("admin API, mode \"" + mode.wireName() + "\"");
        system.scheduler().scheduleOnce(SHUTDOWN_DELAY,
                () -> CoordinatedShutdown.get(system).run(new StopReason.AdminRequest(mode)),
                system.executionContext());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", true);
        body.put("mode", mode.wireName());
        return complete(Responses.json(StatusCodes.ACCEPTED, Json.write(body)));
    }

    private Route methodNotAllowed(HttpMethod allowed) {
        return extractRequest(req -> complete(Responses.error(StatusCodes.METHOD_NOT_ALLOWED, "method "
                + req.method().value() + " not allowed on " + req.getUri().path() + "; use " + allowed.value())
                .addHeader(Allow.create(allowed))));
    }
}
