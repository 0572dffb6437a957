package dev.vigil.gui;

import dev.vigil.core.LogType;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.users.Role;
import dev.vigil.core.users.UserFile;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpCookie;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.headers.SameSite;
import org.apache.pekko.http.javadsl.model.headers.SetCookie;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The versioned REST API under {@code /api/v1} (documented in {@code openapi.json}, served at
 * {@code /api/v1/openapi.json}): login and session, the cluster, servers, comm paths,
 * hierarchies and resources in the GUI's words, events, logs, actions (maintenance mode too),
 * and the live stream ({@code GET /api/v1/stream}, server-sent events). Every answer is JSON, errors
 * {@code {"error": "…"}}. All but login need a session cookie; state-changing requests also the
 * session's CSRF token in {@link Sessions#CSRF_HEADER} and no foreign {@code Origin}.
 */
public final class ApiRoutes extends AllDirectives {
    /** The SSE stream's tick: how often it looks at the feed for a change. */
    static final Duration STREAM_TICK = Duration.ofMillis(100);
    private static final int MAX_LOG_LINES = 5000;

    private final VigilConfig config;
    private final StatusFeed feed;
    private final DaemonLink daemon;
    private final Sessions sessions;
    private final Logins logins;
    private final Actions actions;
    private final Maintenance maintenance;
    private final Executor blocking;

    public ApiRoutes(VigilConfig config, StatusFeed feed, DaemonLink daemon, Sessions sessions, Logins logins,
                     Actions actions, Maintenance maintenance, Executor blocking) {
        this.config = config;
        this.feed = feed;
        this.daemon = daemon;
        this.sessions = sessions;
        this.logins = logins;
        this.actions = actions;
        this.maintenance = maintenance;
        this.blocking = blocking;
    }

    public Route route() {
        return pathPrefix("api", () -> pathPrefix("v1", () -> concat(
                path("openapi.json", () -> get(() -> getFromResource("gui/openapi.json", ContentTypes.APPLICATION_JSON))),
                path("login", () -> post(this::login)),
                path("logout", () -> post(() -> caller(true, c -> {
                    sessions.end(c.session().id());
                    return complete(response(ApiResult.ok(Map.of("loggedOut", true)))
                            .addHeader(SetCookie.create(cookie("").withMaxAge(0))));
                }))),
                path("session", () -> get(() -> caller(false, c -> done(ApiResult.ok(
                        logins.sessionBody(c.user(), c.role(), c.session())))))),
                path("cluster", () -> get(() -> caller(false, c -> view(v -> ApiResult.ok(v))))),
                path("servers", () -> get(() -> caller(false, c -> view(v -> ApiResult.ok(v.servers()))))),
                path(PathMatchers.segment("servers").slash(PathMatchers.segment()), name -> get(() -> caller(false,
                        c -> view(v -> v.server(name).map(ApiResult::ok).orElseGet(() -> unknownServer(v, name)))))),
                path(PathMatchers.segment("servers").slash(PathMatchers.segment()).slash("shutdown-strategy"),
                        name -> put(() -> caller(true, c -> body(b -> blocking(() -> actions.shutdownStrategy(c, name, b)))))),
                path("comm-paths", () -> get(() -> caller(false, c -> view(v -> ApiResult.ok(commPaths(v)))))),
                path("hierarchies", () -> get(() -> caller(false, c -> view(v -> ApiResult.ok(v.hierarchies()))))),
                path(PathMatchers.segment("hierarchies").slash(PathMatchers.segment()), tag -> get(() -> caller(false,
                        c -> view(v -> v.hierarchyOf(tag).map(ApiResult::ok).orElseGet(() -> unknownTag(v, tag)))))),
                path(PathMatchers.segment("hierarchies").slash(PathMatchers.segment()).slash(PathMatchers.segment()),
                        (tag, verb) -> verb.equals("in-service") || verb.equals("out-of-service")
                                ? post(() -> caller(true, c -> body(b -> blocking(() -> actions.hierarchy(c, tag, verb, b)))))
                                : verb.equals("maintenance")
                                ? post(() -> caller(true, c -> body(b -> blocking(() -> maintenance.hierarchy(c, tag, b)))))
                                : reject()),
                path("maintenance", () -> post(() -> caller(true, c -> body(b -> blocking(() -> maintenance.all(c, b)))))),
                path("resources", () -> get(() -> caller(false, c -> view(v -> ApiResult.ok(resources(v)))))),
                path("events", () -> get(() -> caller(false, c -> parameterOptional("limit", limit -> {
                    Optional<Integer> n = number(limit, 1, StatusFeed.EVENTS);
                    if (n == null) {
                        return done(ApiResult.error(400, "invalid value \"" + limit.orElse("") + "\" for parameter "
                                + "\"limit\": must be a whole number from 1 to " + StatusFeed.EVENTS));
                    }
                    List<Event> events = feed.snapshot().events();
                    int from = Math.max(0, events.size() - n.orElse(StatusFeed.EVENTS));
                    return done(ApiResult.ok(events.subList(from, events.size())));
                })))),
                path("logs", () -> get(() -> caller(false, c -> parameterOptional("server", server ->
                        parameterOptional("type", type -> parameterOptional("lines", lines ->
                                logs(server.orElse(config.serverName()), type.orElse("log"), lines))))))),
                path("stream", () -> get(() -> caller(false, c -> stream()))),
                extractRequest(this::noSuchRoute))));
    }

    private Route login() {
        return sameOrigin(() -> body(b -> extractClientIP(ip -> {
            String address = ip.getAddress().map(a -> a.getHostAddress()).orElse("unknown address");
            return completeWithFuture(CompletableFuture.supplyAsync(() -> {
                Logins.Outcome o = logins.login(b, address);
                HttpResponse r = response(o.result());
                return o.session() == null ? r : r.addHeader(SetCookie.create(cookie(o.session().id())));
            }, blocking));
        })));
    }

    private HttpCookie cookie(String value) {
        return HttpCookie.create(Sessions.COOKIE, value).withPath("/").withHttpOnly(true).withSameSite(SameSite.Strict);
    }

    /** The logged-in caller, or 401; with {@code changes}, also the CSRF token and origin checks (403). */
    private Route caller(boolean changes, Function<Caller, Route> inner) {
        return optionalCookie(Sessions.COOKIE, cookie -> {
            Optional<Sessions.Session> s = sessions.touch(cookie.map(c -> c.value()).orElse(null));
            if (s.isEmpty()) {
                return done(ApiResult.error(401, "not logged in (or the session expired): log in with a user that "
                        + "lkpasswd created on server " + config.serverName()));
            }
            Optional<Role> role;
            try {
                role = UserFile.read(config.gui().usersFile()).user(s.get().user()).map(UserFile.User::role);
            } catch (IOException e) {
                return done(ApiResult.error(500, "the GUI users file cannot be read: " + e.getMessage()));
            }
            if (role.isEmpty()) {
                sessions.end(s.get().id());
                return done(ApiResult.error(401, "user '" + s.get().user() + "' no longer exists (lkpasswd -delete); "
                        + "log in again"));
            }
            Caller caller = new Caller(s.get().user(), role.get(), s.get());
            if (!changes) {
                return inner.apply(caller);
            }
            return sameOrigin(() -> optionalHeaderValueByName(Sessions.CSRF_HEADER, token ->
                    token.filter(t -> java.security.MessageDigest.isEqual(t.getBytes(), caller.session().csrfToken().getBytes()))
                            .isPresent() ? inner.apply(caller)
                            : done(ApiResult.error(403, "missing or wrong " + Sessions.CSRF_HEADER + " header: "
                            + "state-changing requests must send the csrfToken of GET /api/v1/session"))));
        });
    }

    /** Refuses a browser request sent by a page of another origin (cross-site request forgery). */
    private Route sameOrigin(Supplier<Route> inner) {
        return optionalHeaderValueByName("Origin", origin -> optionalHeaderValueByName("Host", host -> {
            if (origin.isPresent() && !origin.get().equals("http://" + host.orElse(""))
                    && !origin.get().equals("https://" + host.orElse(""))) {
                return done(ApiResult.error(403, "cross-site request refused: origin " + origin.get()
                        + " is not this GUI (" + host.orElse("?") + ")"));
            }
            return inner.get();
        }));
    }

    private Route body(Function<String, Route> inner) {
        return entity(Unmarshaller.entityToString(), inner);
    }

    private Route blocking(Supplier<ApiResult> work) {
        return completeWithFuture(CompletableFuture.supplyAsync(() -> response(work.get()), blocking));
    }

    /** A fresh view from the daemon (not the feed's: an answer must not be older than the request). */
    private Route view(Function<ClusterView, ApiResult> inner) {
        return blocking(() -> {
            DaemonLink.Reply reply = daemon.status();
            var status = reply.ok() ? DaemonLink.parse(reply) : null;
            if (status == null) {
                return ApiResult.error(503, reply.ok() ? "the daemon answered a status the GUI cannot read"
                        : reply.message());
            }
            return inner.apply(ClusterView.of(status));
        });
    }

    private Route logs(String server, String typeName, Optional<String> linesParam) {
        Optional<LogType> type = LogType.fromTypeName(typeName);
        if (type.isEmpty()) {
            return done(ApiResult.error(400, "unknown log type \"" + typeName + "\"; types: "
                    + String.join(", ", LogType.typeNames())));
        }
        Optional<Integer> lines = number(linesParam, 1, MAX_LOG_LINES);
        if (lines == null) {
            return done(ApiResult.error(400, "invalid value \"" + linesParam.orElse("") + "\" for parameter \"lines\": "
                    + "must be a whole number from 1 to " + MAX_LOG_LINES));
        }
        int n = lines.orElse(200);
        if (config.cluster().server(server).isEmpty()) {
            return done(ApiResult.error(404, "unknown server '" + server + "'; known servers: " + String.join(", ",
                    config.cluster().servers().stream().map(s -> s.name()).toList())));
        }
        return blocking(() -> {
            List<String> out;
            if (server.equals(config.serverName())) {
                try {
                    out = LogTail.of(config.logs().dir().resolve(type.get().fileName()), n);
                } catch (IOException e) {
                    return ApiResult.error(500, "the " + type.get().typeName() + " log of " + server
                            + " cannot be read: " + e.getMessage());
                }
            } else {
                DaemonLink.Reply r = daemon.remoteExec(server, List.of("sh", "-c", "lk_log \"$1\" | tail -n \"$2\"",
                        "sh", type.get().typeName(), Integer.toString(n)), Duration.ofSeconds(60));
                if (!r.ok()) {
                    return ApiResult.error(r.status() == 0 ? 503 : r.status(), r.message());
                }
                if (r.body().path("exitCode").asInt(-1) != 0) {
                    return ApiResult.error(502, "lk_log on " + server + " failed: "
                            + r.body().path("stdout").asText().strip());
                }
                out = LogTail.last(r.body().path("stdout").asText(), n, false);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("server", server);
            body.put("type", type.get().typeName());
            body.put("lines", out);
            return ApiResult.ok(body);
        });
    }

    /**
     * {@code cluster} events (the whole view, whenever anything in it changed; or
     * {@code {"unavailable": reason}} while the daemon does not answer) and {@code events} events
     * (the recent main-log events, when a line was added), plus a comment every 15 s to keep
     * proxies from closing the connection.
     */
    private Route stream() {
        Source<ServerSentEvent, NotUsed> events = Source.tick(Duration.ZERO, STREAM_TICK, "tick")
                .statefulMapConcat(() -> {
                    long[] sent = {-1, -1};
                    return tick -> {
                        StatusFeed.Snapshot s = feed.snapshot();
                        List<ServerSentEvent> out = new java.util.ArrayList<>();
                        if (s.clusterVersion() != sent[0]) {
                            sent[0] = s.clusterVersion();
                            out.add(ServerSentEvent.create(s.unavailable() == null ? Json.write(s.cluster())
                                    : Json.write(Map.of("unavailable", s.unavailable())), "cluster"));
                        }
                        if (s.eventsVersion() != sent[1]) {
                            sent[1] = s.eventsVersion();
                            out.add(ServerSentEvent.create(Json.write(s.events()), "events"));
                        }
                        return out;
                    };
                })
                .keepAlive(Duration.ofSeconds(15), ServerSentEvent::heartbeat)
                .mapMaterializedValue(m -> NotUsed.getInstance());
        return completeOK(events, EventStreamMarshalling.toEventStream());
    }

    private static List<Map<String, Object>> commPaths(ClusterView v) {
        return v.servers().stream().flatMap(s -> s.commPaths().stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("from", s.name());
            m.put("to", p.to());
            m.put("type", p.type());
            m.put("localAddress", p.localAddress());
            m.put("remoteAddress", p.remoteAddress());
            m.put("state", p.state());
            m.put("priority", p.priority());
            m.put("commDowns", p.commDowns());
            return m;
        })).toList();
    }

    private static List<Map<String, Object>> resources(ClusterView v) {
        return v.hierarchies().stream().flatMap(h -> h.resources().stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("hierarchy", h.tag());
            m.putAll(Json.mapper().convertValue(r, Map.class));
            return m;
        })).toList();
    }

    private static ApiResult unknownServer(ClusterView v, String name) {
        return ApiResult.error(404, "unknown server '" + name + "'; known servers: "
                + String.join(", ", v.servers().stream().map(ClusterView.Server::name).toList()));
    }

    private static ApiResult unknownTag(ClusterView v, String tag) {
        return ApiResult.error(404, "unknown tag '" + tag + "': no resource or hierarchy of that name; known tags: "
                + String.join(", ", v.tags()));
    }

    /** The parameter as a number in range; empty when absent; null when not a number in range. */
    private static Optional<Integer> number(Optional<String> p, int min, int max) {
        if (p.isEmpty()) {
            return Optional.empty();
        }
        try {
            int n = Integer.parseInt(p.get().strip());
            return n < min || n > max ? null : Optional.of(n);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The routes and their one method, for a 405 that names the right method. */
    private static final Map<java.util.regex.Pattern, String> METHODS = Map.ofEntries(
            route("/api/v1/(login|logout|maintenance)", "POST"),
            route("/api/v1/(session|cluster|servers|comm-paths|hierarchies|resources|events|logs|stream|openapi\\.json)", "GET"),
            route("/api/v1/(servers|hierarchies)/[^/]+", "GET"),
            route("/api/v1/servers/[^/]+/shutdown-strategy", "PUT"),
            route("/api/v1/hierarchies/[^/]+/(in-service|out-of-service|maintenance)", "POST"));

    private static Map.Entry<java.util.regex.Pattern, String> route(String regex, String method) {
        return Map.entry(java.util.regex.Pattern.compile(regex), method);
    }

    private Route noSuchRoute(HttpRequest req) {
        String path = req.getUri().path();
        Optional<String> allowed = METHODS.entrySet().stream().filter(e -> e.getKey().matcher(path).matches())
                .map(Map.Entry::getValue).findFirst();
        if (allowed.isPresent()) {
            return complete(response(ApiResult.error(405, "method " + req.method().value() + " not allowed on " + path
                    + "; use " + allowed.get())).addHeader(RawHeader.create("Allow", allowed.get())));
        }
        return done(ApiResult.error(404, "no such route: " + req.method().value() + " " + path
                + " (the API is described at /api/v1/openapi.json)"));
    }

    private Route done(ApiResult r) {
        return complete(response(r));
    }

    static HttpResponse response(ApiResult r) {
        List<HttpHeader> none = List.of();
        return HttpResponse.create().withStatus(StatusCodes.get(r.status()))
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, r.json())).addHeaders(none);
    }
}
