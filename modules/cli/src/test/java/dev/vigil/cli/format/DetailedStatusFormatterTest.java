package dev.vigil.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.cli.testing.StatusFixtures;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DetailedStatusFormatterTest {
    private final DetailedStatusFormatter formatter = new DetailedStatusFormatter(ZoneId.of("UTC"));

    static final String N1_DETAILED = """
            Resource Hierarchy Information
            Resource hierarchies for machine "n1":

            ROOT of RESOURCE HIERARCHY
            powergres-/share/data: id=/share/data app=database type=pgsql state=ISP
                initialize=(AUTORES_ISP) automatic restore to IN-SERVICE by Vigil
                info=/share/data port=5432 user=postgres
                reason=restore action has succeeded
                depends on resources: ip-10.200.0.100,fs-/share
                Local priority = 1
                SHARED equivalency with "powergres-/share/data" on "n2", priority = 10
                    FAILOVER ALLOWED
                SHARED equivalency with "powergres-/share/data" on "n3", priority = 20
                    FAILOVER ALLOWED
            ip-10.200.0.100: id=IP-10.200.0.100 app=comm type=ip state=ISP
                initialize=(AUTORES_ISP) automatic restore to IN-SERVICE by Vigil
                info=eth0 10.200.0.100/24
                reason=restore action has succeeded
                these resources are dependent: powergres-/share/data
                Local priority = 1
                SHARED equivalency with "ip-10.200.0.100" on "n2", priority = 10
                    FAILOVER ALLOWED
                SHARED equivalency with "ip-10.200.0.100" on "n3", priority = 20
                    FAILOVER ALLOWED
            fs-/share: id=/share app=gen type=filesys state=ISP
                initialize=(AUTORES_ISP) automatic restore to IN-SERVICE by Vigil
                info=/dev/mapper/vg0-share /share ext4
                reason=restore action has succeeded
                depends on resources: vg-vg0
                these resources are dependent: powergres-/share/data
                Local priority = 1
                SHARED equivalency with "fs-/share" on "n2", priority = 10
                    FAILOVER ALLOWED
                SHARED equivalency with "fs-/share" on "n3", priority = 20
                    FAILOVER ALLOWED
            vg-vg0: id=vg0 app=gen type=app state=ISP
                initialize=(AUTORES_ISP) automatic restore to IN-SERVICE by Vigil
                info=vg0
                reason=restore action has succeeded
                these resources are dependent: fs-/share
                Local priority = 1
                SHARED equivalency with "vg-vg0" on "n2", priority = 10
                    FAILOVER ALLOWED
                SHARED equivalency with "vg-vg0" on "n3", priority = 20
                    FAILOVER ALLOWED

            ROOT of RESOURCE HIERARCHY
            app-batch: id=/opt/batch/bin/restore app=gen type=app state=OSU
                initialize=(AUTORES_ISP) automatic restore to IN-SERVICE by Vigil
                info=nightly batch
                reason=in service on another server
                Local priority = 2
                SHARED equivalency with "app-batch" on "n2", priority = 1
                    FAILOVER ALLOWED
                SHARED equivalency with "app-batch" on "n3", priority = 3
                    FAILOVER ALLOWED

            Communication Status Information
            The following Vigil servers are known:
                machine=n1 state=ALIVE
                machine=n2 state=ALIVE
                machine=n3 state=DEAD
            The following Vigil network connections exist:
                to machine=n2 type=TCP addresses=10.200.0.1/10.200.0.2 state="ALIVE" priority=1 #comm_downs=0
                to machine=n3 type=TCP addresses=10.200.0.1/10.200.0.3 state="DEAD" priority=1 #comm_downs=1

            Vigil Flags
            The following Vigil flags are on:
                (none)

            Shutdown Strategy
            The shutdown strategy is set to: do not switchover.

            Cluster Status
            Hierarchy powergres-/share/data:
                machine=n1  priority=1   state=ISP  (Active)   reason=restore action has succeeded
                machine=n2  priority=10  state=OSU  (StandBy)  reason=in service on another server
                machine=n3  priority=20  state=OSU  (StandBy)  reason=in service on another server (last report at Wed Nov 26 13:12:30 UTC 2025: server is DEAD)
            Hierarchy app-batch:
                machine=n2  priority=1  state=OSF  (Failed)   reason=restore failed: /opt/batch/bin/restore exited with code 1
                machine=n1  priority=2  state=OSU  (StandBy)  reason=in service on another server
                machine=n3  priority=3  state=ISP  (Active)   reason=restore action has succeeded (last report at Wed Nov 26 13:12:30 UTC 2025: server is DEAD)
                *** WARNING: hierarchy app-batch is in service on no server
                *** WARNING: resource app-batch is OSF on n2: restore failed: /opt/batch/bin/restore exited with code 1
            """;

    @Test
    void detailedLayoutOfTheLocalServerFollowsTheOriginalAndEndsWithTheClusterStatus() {
        assertEquals(N1_DETAILED, formatter.format(StatusFixtures.threeServers(), "n1", Optional.empty()));
    }

    @Test
    void aServerAliveOnASecondaryPathOnlyIsShownAliveWithTheAgeOfItsReportAndEveryPathWithItsPriority() {
        String text = formatter.format(StatusFixtures.aliveOnSecondPathOnly(), "n1", Optional.empty());
        String comm = text.substring(text.indexOf("Communication Status Information"), text.indexOf("\n\nVigil Flags"));
        assertEquals("""
                Communication Status Information
                The following Vigil servers are known:
                    machine=n1 state=ALIVE
                    machine=n2 state=ALIVE (on a secondary comm path only: its cluster connection is DEAD; last report 42 s ago)
                The following Vigil network connections exist:
                    to machine=n2 type=TCP addresses=10.200.0.1/10.200.0.2 state="DEAD" priority=1 #comm_downs=1
                    to machine=n2 type=UDP addresses=10.201.0.1/10.201.0.2 state="ALIVE" priority=2 #comm_downs=0""", comm);
    }

    @Test
    void aDeadServersViewIsMarkedAsItsLastReportAndDerivesPeersFromItsCommPaths() {
        String text = formatter.format(StatusFixtures.threeServers(), "n3", Optional.of(StatusFixtures.BATCH));
        String expectedStart = """
                Resource Hierarchy Information
                Resource hierarchies for machine "n3" (last report at Wed Nov 26 13:12:30 UTC 2025: server is DEAD):

                ROOT of RESOURCE HIERARCHY
                app-batch: id=/opt/batch/bin/restore app=gen type=app state=ISP
                    initialize=(AUTORES_ISP) automatic restore to IN-SERVICE by Vigil
                    info=nightly batch
                    reason=restore action has succeeded
                    Local priority = 3
                    SHARED equivalency with "app-batch" on "n2", priority = 1
                        FAILOVER ALLOWED
                    SHARED equivalency with "app-batch" on "n1", priority = 2
                        FAILOVER ALLOWED

                Communication Status Information
                The following Vigil servers are known:
                    machine=n1 state=ALIVE
                    machine=n2 state=ALIVE
                    machine=n3 state=ALIVE
                The following Vigil network connections exist:
                    to machine=n1 type=TCP addresses=10.200.0.3/10.200.0.1 state="ALIVE" priority=1 #comm_downs=0
                    to machine=n2 type=TCP addresses=10.200.0.3/10.200.0.2 state="ALIVE" priority=1 #comm_downs=0
                """;
        assertEquals(expectedStart, text.substring(0, expectedStart.length()));
        assertTrue(text.endsWith("""
                Cluster Status
                Hierarchy app-batch:
                    machine=n2  priority=1  state=OSF  (Failed)   reason=restore failed: /opt/batch/bin/restore exited with code 1
                    machine=n1  priority=2  state=OSU  (StandBy)  reason=in service on another server
                    machine=n3  priority=3  state=ISP  (Active)   reason=restore action has succeeded (last report at Wed Nov 26 13:12:30 UTC 2025: server is DEAD)
                    *** WARNING: hierarchy app-batch is in service on no server
                    *** WARNING: resource app-batch is OSF on n2: restore failed: /opt/batch/bin/restore exited with code 1
                """), text);
    }

    @Test
    void switchoverStrategyShowsItsFlagAndItsWords() {
        String text = formatter.format(StatusFixtures.threeServers(), "n2", Optional.empty());
        assertTrue(text.contains("""
                Vigil Flags
                The following Vigil flags are on:
                    shutdown_switchover

                Shutdown Strategy
                The shutdown strategy is set to: switchover.
                """), text);
    }
}
