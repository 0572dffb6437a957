package dev.vigil.daemon;

import static dev.vigil.daemon.TestSupport.await;
import static dev.vigil.daemon.TestSupport.since;
import static dev.vigil.daemon.TestSupport.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.LogType;
import dev.vigil.core.ServerState;
import dev.vigil.core.config.LogSettings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.daemon.notify.LogSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two servers: the survivor of a crash never has a majority (1 of 2), so it does not remove the
 * dead server from the cluster; the dead server's restarted daemon (a new incarnation at the same
 * address) replaces the old member and both see each other ALIVE again.
 */
class TwoServerDowningTest {
    private Path dir;
    private Path main;
    private final List<VigilConfig> configs = new ArrayList<>();
    private final Daemon[] daemons = new Daemon[2];

    @BeforeEach
    void startTwoServers() throws Exception {
        dir = Files.createTempDirectory("vigil-two-servers-test");
        LogSetup.configure(new LogSettings(dir.resolve("logs"), 10L << 20, 5), "test");
        main = dir.resolve("logs").resolve(LogType.LOG.fileName());
        List<Integer> clusterPorts = TestSupport.freePorts(2);
        List<Integer> adminPorts = TestSupport.freePorts(2);
        for (int i = 0; i < 2; i++) {
            configs.add(TestSupport.config(dir, "n" + (i + 1), clusterPorts, adminPorts.get(i)));
        }
        List<CompletableFuture<Daemon>> starting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int n = i;
            starting.add(CompletableFuture.supplyAsync(() -> Daemon.start(configs.get(n), "token", TestSupport.crashable(),
                    () -> { })));
        }
        for (int i = 0; i < 2; i++) {
            daemons[i] = starting.get(i).get(30, TimeUnit.SECONDS);
        }
        await("n1 and n2 ALIVE on both", Duration.ofSeconds(30), () -> bothAlive());
    }

    @AfterEach
    void stopServers() {
        TestSupport.stopAll(daemons, dir);
    }

    @Test
    void theSurvivorOfTwoDoesNotRemoveTheDeadServerAndItsRestartRejoins() throws Exception {
        int before = TestSupport.read(main).length();
        UniqueAddress oldN2 = Cluster.get(daemons[1].system()).selfMember().uniqueAddress();
        daemons[1].system().terminate();
        assertEquals(0, daemons[1].whenStopped().toCompletableFuture().get(20, TimeUnit.SECONDS));
        await("n1 sees n2 DEAD", Duration.ofSeconds(5),
                () -> status(daemons[0].system()).server("n2").orElseThrow().state() == ServerState.DEAD);
        await("n1 explains why it does not remove n2", Duration.ofSeconds(5), () -> since(main, before).contains(
                "n1 WARN  server \"n2\" is DEAD on all comm paths but is not removed from the cluster: this server sees"
                        + " only 1 of 2 servers ALIVE, not a majority; it rejoins as a new member when its daemon restarts"));
        Thread.sleep(TestSupport.DOWN_AFTER.multipliedBy(2).toMillis());
        assertEquals(MemberStatus.up(), member(0, oldN2).status(), "still a member, unreachable but not downed");
        assertFalse(since(main, before).contains("removing server"), since(main, before));

        daemons[1] = Daemon.start(configs.get(1), "token", TestSupport.crashable(), () -> { });
        Duration took = await("the restarted n2 and n1 ALIVE on both", Duration.ofSeconds(30), this::bothAlive);
        System.out.println("restarted n2 rejoined after " + took.toMillis() + " ms");
        UniqueAddress newN2 = Cluster.get(daemons[1].system()).selfMember().uniqueAddress();
        assertNotEquals(oldN2, newN2);
        await("the new incarnation replaced the old member on n1", Duration.ofSeconds(10), () ->
                members(0).size() == 2 && member(0, newN2).status().equals(MemberStatus.up()));
        assertTrue(members(0).stream().noneMatch(m -> m.uniqueAddress().equals(oldN2)));
    }

    private boolean bothAlive() {
        for (Daemon d : daemons) {
            if (status(d.system()).servers().stream().anyMatch(s -> s.state() != ServerState.ALIVE)) {
                return false;
            }
        }
        return true;
    }

    private List<Member> members(int observer) {
        return StreamSupport.stream(Cluster.get(daemons[observer].system()).state().getMembers().spliterator(), false)
                .toList();
    }

    private Member member(int observer, UniqueAddress who) {
        return members(observer).stream().filter(m -> m.uniqueAddress().equals(who)).findFirst()
                .orElseThrow(() -> new AssertionError(who + " is not a member on n" + (observer + 1)));
    }
}
