package dev.vigil.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.ShutdownStrategy;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.daemon.ShutdownMode;
import dev.vigil.daemon.TestDaemon;
import dev.vigil.daemon.TestSupport;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/shutdown-strategy}: the administrator's change shows in status at once and survives a restart. */
class ShutdownStrategyApiTest {
    @TempDir
    Path dir;

    @Test
    void aChangedStrategyIsReportedAndSurvivesARestartAndAWrongOneChangesNothing() throws Exception {
        try (TestDaemon d = TestDaemon.start(dir, "")) {
            awaitApi(d);
            assertEquals(ShutdownStrategy.DO_NOT_SWITCHOVER, strategy(d));
            HttpResponse<String> wrong = d.post("/v1/shutdown-strategy", "{\"strategy\": \"later\"}");
            assertEquals(400, wrong.statusCode());
            assertEquals("{\"error\":\"invalid value \\\"later\\\" for field \\\"strategy\\\": must be one of "
                    + "\\\"switchover\\\", \\\"do-not-switchover\\\"\"}", wrong.body());
            assertEquals(400, d.post("/v1/shutdown-strategy", "{}").statusCode());
            assertFalse(Files.exists(d.config.stateDir().resolve("shutdown-strategy")));
            HttpResponse<String> get = d.get("/v1/shutdown-strategy");
            assertEquals(405, get.statusCode());
            assertTrue(get.body().contains("use POST"), get.body());

            HttpResponse<String> r = d.post("/v1/shutdown-strategy", "{\"strategy\": \"switchover\"}");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("{\"server\":\"n1\",\"shutdownStrategy\":\"SWITCHOVER\"}", r.body());
            TestSupport.await("status shows the new strategy", Duration.ofSeconds(10),
                    () -> strategy(d) == ShutdownStrategy.SWITCHOVER);
            assertEquals("switchover\n", Files.readString(d.config.stateDir().resolve("shutdown-strategy")));
            TestSupport.await("the change is logged", Duration.ofSeconds(10), () -> d.mainLog().contains(
                    "shutdown strategy of server \"n1\" set to \"switchover\" (admin API)"));

            d.stop(ShutdownMode.REMOVE);
            d.start();
            awaitApi(d);
            assertEquals(ShutdownStrategy.SWITCHOVER, strategy(d));
        }
    }

    private static void awaitApi(TestDaemon d) {
        TestSupport.await("the admin API answers", Duration.ofSeconds(30), () -> {
            try {
                return d.get("/v1/status").statusCode() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    private static ShutdownStrategy strategy(TestDaemon d) {
        try {
            ClusterStatus s = Json.mapper().readValue(d.get("/v1/status").body(), ClusterStatus.class);
            return s.server("n1").orElseThrow().shutdownStrategy();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
