package dev.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/systemd/vigil.service passes {@code systemd-analyze verify} on any machine with the
 * systemd package (PID 1 need not be systemd), before any package is installed: a copy whose
 * ExecStart names the built distribution's vigild instead of /opt/vigil/bin/vigild, every other
 * line unchanged. DebianPackageIT verifies the installed file as it is.
 */
class SystemdUnitIT {
    @TempDir
    Path dir;

    @Test
    void theUnitPassesSystemdAnalyzeVerify() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "needs systemd-analyze (Debian package systemd)");
        Path unit = Path.of(System.getProperty("vigil.unit", "../deploy/systemd/vigil.service"));
        Path vigild = Path.of(System.getProperty("vigil.dist", "../deploy/target/vigil-0.1.0-SNAPSHOT"), "bin/vigild")
                .toAbsolutePath().normalize();
        String text = Files.readString(unit);
        assertTrue(text.contains("ExecStart=/opt/vigil/bin/vigild "), text);
        Path copy = dir.resolve("vigil.service");
        Files.writeString(copy, text.replace("ExecStart=/opt/vigil/bin/vigild ", "ExecStart=" + vigild + " "));

        // --man=no: the manual pages are installed by the package (DebianPackageIT checks them there).
        Process p = new ProcessBuilder(List.of("systemd-analyze", "verify", "--man=no", copy.toString()))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("", out.strip(), "systemd-analyze verify has no complaint");
    }
}
