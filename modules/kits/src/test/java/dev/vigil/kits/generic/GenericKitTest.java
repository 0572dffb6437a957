package dev.vigil.kits.generic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.config.spec.GenericSpec;
import dev.vigil.kits.ActionResult;
import dev.vigil.kits.CheckResult;
import dev.vigil.kits.FailureKind;
import dev.vigil.kits.LogCapture;
import dev.vigil.kits.Presence;
import dev.vigil.kits.RecoveryKit;
import dev.vigil.kits.TestHost;
import dev.vigil.kits.TestResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenericKitTest {
    @TempDir
    Path dir;
    private final List<Long> toKill = new java.util.ArrayList<>();

    @AfterEach
    void killLeftovers() {
        toKill.forEach(TestHost::kill);
    }

    private Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private RecoveryKit kit(Path restore, Path remove, Path check, Optional<Path> recover, Duration timeout) {
        GenericSpec spec = new GenericSpec(restore.toString(), remove.toString(), check.toString(),
                recover.map(Path::toString), "my app info");
        return TestResources.kit("app-demo", spec, TestResources.timeouts(timeout), List.of());
    }

    @Test
    void scriptsGetTagIdAndAppInfoAndExitZeroIsSuccess() throws Exception {
        Path args = dir.resolve("args");
        Path ok = script("restore", "printf '%s|' \"$@\" > " + args + "; echo started the app");
        try (LogCapture log = new LogCapture()) {
            ActionResult r = kit(ok, ok, ok, Optional.empty(), Duration.ofSeconds(10)).restore();
            assertTrue(r.succeeded(), r.toString());
            assertTrue(log.lines().contains("app-demo: restore: started the app"), log.lines().toString());
        }
        assertEquals("-t|app-demo|-i|app-demo|my app info|", Files.readString(args));
    }

    @Test
    void aNonZeroExitIsAFailureWithTheExitCodeAndOutput() throws Exception {
        Path fail = script("remove", "echo cannot stop it >&2; exit 3");
        ActionResult r = kit(fail, fail, fail, Optional.empty(), Duration.ofSeconds(10)).remove();
        assertEquals(Optional.of(FailureKind.FAILED), r.kind());
        assertTrue(r.message().contains("remove script " + fail + " exited 3: cannot stop it"), r.message());
    }

    @Test
    void aScriptOverItsTimeoutIsKilledWithItsChildren() throws Exception {
        Path pids = dir.resolve("pids");
        Path slow = script("restore", "sleep 300 & echo $$ $! > " + pids + "; wait");
        long t0 = System.nanoTime();
        ActionResult r = kit(slow, slow, slow, Optional.empty(), Duration.ofSeconds(1)).restore();
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
        assertEquals(Optional.of(FailureKind.TIMED_OUT), r.kind(), r.toString());
        assertTrue(r.message().contains("did not finish within 1.0 s"), r.message());
        for (String pid : Files.readString(pids).trim().split(" ")) {
            toKill.add(Long.parseLong(pid));
            assertTrue(TestHost.awaitGone(Long.parseLong(pid), 3000), "pid " + pid + " survived the timeout");
        }
    }

    @Test
    void aMissingOrNonExecutableScriptIsMisconfigured() throws Exception {
        Path ok = script("ok", "exit 0");
        Path notExecutable = dir.resolve("plain");
        Files.writeString(notExecutable, "#!/bin/sh\nexit 0\n");
        RecoveryKit kit = kit(dir.resolve("missing"), notExecutable, ok, Optional.empty(), Duration.ofSeconds(5));
        assertEquals(Optional.of(FailureKind.MISCONFIGURED), kit.restore().kind());
        assertEquals(Optional.of(FailureKind.MISCONFIGURED), kit.remove().kind());
    }

    @Test
    void aFailingQuickCheckRaisesGenFailAndProbeSaysStopped() throws Exception {
        Path ok = script("ok", "exit 0");
        Path down = script("check", "exit 1");
        RecoveryKit kit = kit(ok, ok, down, Optional.empty(), Duration.ofSeconds(5));
        CheckResult c = kit.quickCheck();
        assertFalse(c.isHealthy());
        assertEquals("gen,fail", c.event().orElseThrow().toString());
        assertEquals(Presence.STOPPED, kit.probe());
        assertEquals(Presence.RUNNING, kit(ok, ok, ok, Optional.empty(), Duration.ofSeconds(5)).probe());
    }

    @Test
    void withoutARecoverScriptRecoveryMeansFailover() throws Exception {
        Path ok = script("ok", "exit 0");
        ActionResult r = kit(ok, ok, ok, Optional.empty(), Duration.ofSeconds(5)).recover();
        assertEquals(Optional.of(FailureKind.NOT_AVAILABLE_HERE), r.kind());
    }

    @Test
    void recoverRunsTheScriptThenChecksAgain() throws Exception {
        Path flag = dir.resolve("healthy");
        Path ok = script("ok", "exit 0");
        Path check = script("check", "test -f " + flag);
        Path recover = script("recover", "touch " + flag);
        RecoveryKit kit = kit(ok, ok, check, Optional.of(recover), Duration.ofSeconds(5));
        assertFalse(kit.quickCheck().isHealthy());
        assertTrue(kit.recover().succeeded());
        assertTrue(kit.quickCheck().isHealthy());

        Path uselessRecover = script("recover2", "exit 0");
        Files.delete(flag);
        ActionResult r = kit(ok, ok, check, Optional.of(uselessRecover), Duration.ofSeconds(5)).recover();
        assertEquals(Optional.of(FailureKind.FAILED), r.kind(), "recover succeeded but the check still fails");
    }
}
