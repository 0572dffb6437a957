package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.core.LogType;
import dev.vigil.core.ResourceState;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.ActionOutcome;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.daemon.api.AdminToken;
import dev.vigil.daemon.api.Json;
import dev.vigil.daemon.notify.LogSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real daemon in the test's JVM: server n1 of a one-server cluster on loopback ports, with the
 * real kits and the settings a test writes (its hierarchies, kits.command-prefix, ...). Tests
 * drive it as an operator would, through its admin API and its logs, and can stop it and start
 * it again (as lkstop and lkstart do). {@link #close()} stops it, taking its hierarchies out of service.
 */
public final class TestDaemon implements AutoCloseable {
    public final Path dir;
    public final VigilConfig config;
    private final String token = AdminToken.generate();
    private Daemon daemon;

    private TestDaemon(Path dir, VigilConfig config) {
        this.dir = dir;
        this.config = config;
    }

    /** Writes the configuration ({@code body} inside {@code vigil { }}) under {@code dir} and starts the daemon. */
    public static TestDaemon start(Path dir, String body) {
        TestDaemon d = new TestDaemon(dir, TestSupport.configWith(dir, "n1", List.of(TestSupport.freePort()),
                TestSupport.freePort(), body));
        d.start();
        return d;
    }

    /** Starts the daemon (again), its logs in {@code <dir>/logs}. */
    public void start() {
        try {
            LogSetup.configure(config.logs(), config.serverName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon = Daemon.start(config, token, TestSupport.sharedJvm(), () -> { });
    }

    /** Stops the daemon as {@code lkstop} with {@code mode} does, and waits for it. */
    public void stop(ShutdownMode mode) {
        try {
            assertEquals(0, daemon.stop(mode).toCompletableFuture().get(120, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("the daemon did not stop", e);
        } finally {
            daemon = null;
        }
    }

    public ResourceStatus status(String tag) {
        return TestSupport.status(daemon.system()).server("n1").orElseThrow().resources().get(tag);
    }

    /** Waits until {@code tag} is in {@code state}; returns its status then. */
    public ResourceStatus await(String tag, ResourceState state, Duration timeout) {
        TestSupport.await(tag + " " + state, timeout, () -> status(tag).state() == state);
        return status(tag);
    }

    /** {@code POST /v1/hierarchies/{tag}/actions} with {@code {"action": action}}. */
    public HttpResponse<String> action(String tag, String action) {
        return post("/v1/hierarchies/" + URLEncoder.encode(tag, StandardCharsets.UTF_8) + "/actions",
                "{\"action\": \"" + action + "\"}");
    }

    /** An action that must be answered 200: its outcome. */
    public ActionOutcome perform(String tag, String action) {
        HttpResponse<String> r = action(tag, action);
        assertEquals(200, r.statusCode(), r.body());
        try {
            return Json.mapper().readValue(r.body(), ActionOutcome.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HttpResponse<String> post(String path, String body) {
        return TestSupport.http("POST", config.admin().port(), path, token, body);
    }

    public HttpResponse<String> get(String path) {
        return TestSupport.http("GET", config.admin().port(), path, token, null);
    }

    public String mainLog() {
        return TestSupport.read(config.logs().dir().resolve(LogType.LOG.fileName()));
    }

    public String lcdLog() {
        return TestSupport.read(config.logs().dir().resolve(LogType.LCD.fileName()));
    }

    public boolean running() {
        return daemon != null;
    }

    @Override
    public void close() {
        if (daemon != null) {
            stop(ShutdownMode.REMOVE);
        }
    }
}
