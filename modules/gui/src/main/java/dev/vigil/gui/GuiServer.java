package dev.vigil.gui;

import dev.vigil.core.config.VigilConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The GUI server: the single page of the GUI and its assets ({@code /}), the online manual
 * ({@code /help/}) and the REST API ({@code /api/v1}, {@link ApiRoutes}), all from this jar. It
 * reads the cluster only through the local daemon's admin API ({@link DaemonLink}). Pages may
 * load nothing from elsewhere (Content-Security-Policy) and may not be framed.
 */
public final class GuiServer extends AllDirectives implements AutoCloseable {
    private static final List<HttpHeader> SECURITY = List.of(
            RawHeader.create("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                    + "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
            RawHeader.create("X-Frame-Options", "DENY"),
            RawHeader.create("X-Content-Type-Options", "nosniff"),
            RawHeader.create("Referrer-Policy", "no-referrer"),
            RawHeader.create("Cache-Control", "no-store"));

    private final ActorSystem<?> system;
    private final VigilConfig config;
    private final StatusFeed feed;
    private final ExecutorService blocking = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "gui-blocking");
        t.setDaemon(true);
        return t;
    });
    private final ApiRoutes api;

    public GuiServer(ActorSystem<?> system, VigilConfig config, GuiLog log) {
        this.system = system;
        this.config = config;
        DaemonLink daemon = new DaemonLink(config.admin(), config.serverName());
        this.feed = new StatusFeed(daemon, config.logs()).start();
        Sessions sessions = new Sessions(config.gui().sessionTimeout(), Clock.systemUTC());
        Logins logins = new Logins(config, sessions, new LoginGuard(Clock.systemUTC()), log);
        Actions actions = new Actions(daemon, config, log);
        this.api = new ApiRoutes(config, feed, daemon, sessions, logins, actions,
                new Maintenance(daemon, config, log, actions), blocking);
    }

    /** Binds on {@code gui.bind}:{@code gui.port}, or {@code port} when given (tests: 0 = any free port). */
    public CompletionStage<ServerBinding> bind(int port) {
        return Http.get(system).newServerAt(config.gui().bind(), port).bind(route());
    }

    public CompletionStage<ServerBinding> bind() {
        return bind(config.gui().port());
    }

    public Route route() {
        ExceptionHandler bug = ExceptionHandler.newBuilder().match(Exception.class, e -> {
            system.log().error("GUI request failed", e);
            return complete(ApiRoutes.response(ApiResult.error(500, "internal error: " + e)));
        }).build();
        return handleExceptions(bug, () -> respondWithHeaders(SECURITY, () -> concat(
                api.route(),
                pathSingleSlash(() -> get(() -> getFromResource("gui/index.html"))),
                pathPrefix("assets", () -> get(() -> getFromResourceDirectory("gui/assets"))),
                pathPrefix("help", () -> concat(
                        pathEndOrSingleSlash(() -> get(() -> getFromResource("gui/help/index.html"))),
                        get(() -> getFromResourceDirectory("gui/help")))),
                extractRequest(req -> complete(ApiRoutes.response(ApiResult.error(404, "no such page: "
                        + req.getUri().path() + " (the GUI is at /, the manual at /help/, the API at /api/v1)")))))));
    }

    @Override
    public void close() {
        feed.close();
        blocking.shutdownNow();
    }

    /** How long the GUI server waits for requests in flight when it stops. */
    public static final Duration DRAIN = Duration.ofSeconds(3);
}
