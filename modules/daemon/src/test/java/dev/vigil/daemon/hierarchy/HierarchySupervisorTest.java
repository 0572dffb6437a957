package dev.vigil.daemon.hierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.LogType;
import dev.vigil.core.ResourceState;
import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.config.LogSettings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.daemon.TestSupport;
import dev.vigil.daemon.cluster.StatusBoard;
import dev.vigil.daemon.notify.LogSetup;
import dev.vigil.daemon.notify.OperatorLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A hierarchy's resources come up OSU (nothing is brought in service yet), logged and reported. */
class HierarchySupervisorTest {
    private static final ActorTestKit kit = ActorTestKit.create();
    private static final ResourceStatus OSU = new ResourceStatus(ResourceState.OSU, "out of service");
    private static Path dir;
    private static HierarchyConfig hierarchy;

    @BeforeAll
    static void configure() throws Exception {
        dir = Files.createTempDirectory("vigil-hierarchy-test");
        VigilConfig config = TestSupport.config(dir, "n1", List.of(7401, 7402), 7466);
        hierarchy = config.hierarchies().get(0);
        LogSetup.configure(new LogSettings(dir.resolve("logs"), 1 << 20, 5), "test");
    }

    @AfterAll
    static void cleanUp() {
        kit.shutdownTestKit();
        TestSupport.deleteRecursively(dir);
    }

    @Test
    void everyResourceStartsOutOfServiceAndReachesTheStatusBoardLoggedInTheLcdLog() {
        TestProbe<StatusBoard.Command> board = kit.createTestProbe();
        kit.spawn(HierarchySupervisor.create(hierarchy, board.ref(), new OperatorLog("n1")));
        Set<String> reported = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            StatusBoard.ResourceChanged change = board.expectMessageClass(StatusBoard.ResourceChanged.class);
            assertEquals(OSU, change.status());
            reported.add(change.tag());
        }
        assertEquals(Set.of("ip-10.200.0.100", "fs-/share", "powergres-/share/data"), reported);
        board.expectNoMessage();

        String lcd = TestSupport.read(dir.resolve("logs").resolve(LogType.LCD.fileName()));
        for (String tag : reported) {
            assertTrue(lcd.contains("n1 INFO  resource \"" + tag + "\" on \"n1\": ILLSTATE -> OSU (out of service)"), lcd);
        }
    }

    @Test
    void resourceActorAnswersItsStateAndReportsToItsSupervisor() {
        TestProbe<HierarchySupervisor.Command> supervisor = kit.createTestProbe();
        ActorRef<ResourceActor.Command> resource = kit.spawn(ResourceActor.create(hierarchy.root(), supervisor.ref(),
                new OperatorLog("n1")));
        assertEquals(new HierarchySupervisor.ResourceChanged("powergres-/share/data", OSU),
                supervisor.receiveMessage());
        TestProbe<ResourceStatus> reply = kit.createTestProbe();
        resource.tell(new ResourceActor.GetStatus(reply.ref()));
        assertEquals(OSU, reply.receiveMessage());
    }

    @Test
    void actorNamesKeepTagsWithSlashesReadable() {
        assertEquals("resource-fs-%2Fshare", HierarchySupervisor.actorName("resource-", "fs-/share"));
    }
}
