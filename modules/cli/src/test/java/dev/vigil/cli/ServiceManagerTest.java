package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.cli.ServiceManager.Unit;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Reading {@code systemctl show vigil.service} (the format of systemd 252, Debian 12). */
class ServiceManagerTest {
    private static String show(String load, String argv) {
        return "LoadState=" + load + "\nActiveState=active\nMainPID=4242\nExecStart={ path=/opt/vigil/bin/vigild ; argv[]="
                + argv + " ; ignore_errors=no ; start_time=[Wed 2026-11-25 10:00:00 UTC] ; stop_time=[n/a] ; pid=4242 ; "
                + "code=(null) ; status=0/0 }\n";
    }

    @Test
    void theConfigFileIsTheConfigArgumentOfExecStartInEverySpelling() {
        assertEquals(Optional.of(Path.of("/etc/vigil/vigil.conf")),
                ServiceManager.parseShow(show("loaded", "/opt/vigil/bin/vigild --config /etc/vigil/vigil.conf")).configFile());
        assertEquals(Optional.of(Path.of("/srv/a.conf")),
                ServiceManager.parseShow(show("loaded", "/opt/vigil/bin/vigild -c /srv/a.conf")).configFile());
        assertEquals(Optional.of(Path.of("/srv/b.conf")),
                ServiceManager.parseShow(show("loaded", "/opt/vigil/bin/vigild --config=/srv/b.conf")).configFile());
        assertEquals(Optional.of(Path.of("/etc/vigil/vigil.conf")),
                ServiceManager.parseShow(show("loaded", "/opt/vigil/bin/vigild")).configFile(), "vigild's default");
    }

    @Test
    void stateAndMainPidAreRead() {
        Unit u = ServiceManager.parseShow(show("loaded", "/opt/vigil/bin/vigild"));
        assertTrue(u.loaded());
        assertEquals("active", u.activeState());
        assertEquals(OptionalLong.of(4242), u.mainPid());
        assertEquals(OptionalLong.empty(), ServiceManager.parseShow("LoadState=loaded\nMainPID=0\n").mainPid());
    }

    @Test
    void aUnitThatIsNotInstalledRunsNothing() {
        Unit u = ServiceManager.parseShow("LoadState=not-found\nActiveState=inactive\nMainPID=0\nExecStart=\n");
        assertFalse(u.loaded());
        assertFalse(u.runs(Path.of("/etc/vigil/vigil.conf")));
    }

    @Test
    void withoutSystemdNothingIsAskedAndNothingIsManaged() {
        ServiceManager none = new ServiceManager(Path.of("/nonexistent/run/systemd/system"), "/nonexistent/systemctl");
        assertFalse(none.systemdRunning());
        assertEquals(Optional.empty(), none.unit());
        assertFalse(none.manages(Path.of("/etc/vigil/vigil.conf")));
    }
}
