package dev.vigil.daemon.hierarchy;

import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.placement.Claim;
import dev.vigil.core.placement.HierarchyReport;
import dev.vigil.core.placement.OwnerRecord;
import dev.vigil.core.placement.Shutdown;
import dev.vigil.core.placement.StopMode;
import dev.vigil.daemon.cluster.ServerReport;
import dev.vigil.daemon.cluster.fencing.NoFencing;
import dev.vigil.kits.Kits;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.LogType;
import dev.vigil.core.ResourceState;
import dev.vigil.core.ServerState;
import dev.vigil.core.ShutdownStrategy;
import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.config.LogSettings;
import dev.vigil.core.status.ActionOutcome;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.core.status.ServerStatus;
import dev.vigil.daemon.TestSupport;
import dev.vigil.daemon.cluster.StatusBoard;
import dev.vigil.daemon.notify.LogSetup;
import dev.vigil.daemon.notify.OperatorLog;
import dev.vigil.kits.KitOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hierarchy supervisor with real generic kits (scripts that record what they are asked, see
 * {@link ScriptedApp}): ordering, failed restores, local recovery and its escalation, adoption,
 * the automatic restore and the operator's actions. The status board is a stand-in that records
 * the state changes and answers with a cluster status the test chooses.
 *
 * <p>The hierarchy: db depends on ip and fs/data; fs/data depends on disk.
 */
class HierarchySupervisorTest {
    private static final ActorTestKit testKit = ActorTestKit.create();
    private static final ExecutorService KIT_THREADS = Executors.newFixedThreadPool(4);
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static Path logs;

    private Path dir;
    private ScriptedApp app;
    private VigilConfig config;
    private HierarchyConfig hierarchy;
    private final Map<String, ResourceStatus> states = new ConcurrentHashMap<>();
    private final List<ActorRef<?>> spawned = new java.util.ArrayList<>();
    /** n2 as the stand-in board shows it: its state, and its claim about db given n1's latest claim. */
    private final AtomicReference<ServerState> n2State = new AtomicReference<>(ServerState.ALIVE);
    private final AtomicReference<java.util.function.UnaryOperator<Claim>> n2Claim = new AtomicReference<>();
    private final AtomicReference<Claim> n1Claim = new AtomicReference<>(Claim.unknown());
    private int logStart;

    @BeforeAll
    static void logs() throws Exception {
        logs = Files.createTempDirectory("vigil-hierarchy-logs");
        LogSetup.configure(new LogSettings(logs, 10L << 20, 5), "test");
    }

    @AfterAll
    static void cleanUp() {
        testKit.shutdownTestKit();
        KIT_THREADS.shutdownNow();
        TestSupport.deleteRecursively(logs);
    }

    @BeforeEach
    void configure() throws Exception {
        dir = Files.createTempDirectory("vigil-hierarchy-test");
        app = new ScriptedApp(dir);
        config = TestSupport.configWith(dir, "n1", List.of(TestSupport.freePort(), TestSupport.freePort()),
                TestSupport.freePort(), app.defaults() + """
                  hierarchies = [ { tag = db, priorities { n1 = 1, n2 = 10 }, resources = [
                    { tag = disk, type = generic }
                    { tag = ip, type = generic }
                    { tag = "fs/data", type = generic, depends-on = [disk] }
                    { tag = db, type = generic, depends-on = [ip, "fs/data"] }
                  ] } ]
                """);
        hierarchy = config.hierarchies().get(0);
        n2Claim.set(HierarchySupervisorTest::acknowledging);
        logStart = mainLog().length();
    }

    @AfterEach
    void stopAndDeleteDir() {
        spawned.forEach(ref -> testKit.stop(ref, WAIT));
        TestSupport.deleteRecursively(dir);
    }

    /** n2 out of service, acknowledging whatever owner n1 records. */
    private static Claim acknowledging(Claim n1) {
        return new Claim(n1.owner(), n1.removedByOperator(), HierarchyReport.OUT_OF_SERVICE, Optional.empty(), true);
    }

    /** The board's answer to the placement: n1 alive, n2 as the test sets it, reporting the claim the test sets. */
    private StatusBoard.Reports reports() {
        ServerReport n2 = new ServerReport("n2", 1, 1, Instant.now(), ShutdownStrategy.DO_NOT_SWITCHOVER, List.of(),
                Map.of(), true, Optional.empty(), Map.of("db", n2Claim.get().apply(n1Claim.get())));
        return new StatusBoard.Reports(Map.of("n2", n2), Map.of("n1", ServerState.ALIVE, "n2", n2State.get()),
                Map.of("n1", 2, "n2", n2State.get() == ServerState.ALIVE ? 1 : 0));
    }

    private ActorRef<HierarchySupervisor.Command> start() {
        ActorRef<StatusBoard.Command> board = testKit.spawn(Behaviors.receive(StatusBoard.Command.class)
                .onMessage(StatusBoard.ResourceChanged.class, msg -> {
                    states.put(msg.tag(), msg.status());
                    return Behaviors.same();
                })
                .onMessage(StatusBoard.GetReports.class, msg -> {
                    msg.replyTo().tell(reports());
                    return Behaviors.same();
                })
                .onMessage(StatusBoard.ClaimChanged.class, msg -> {
                    n1Claim.set(msg.claim());
                    return Behaviors.same();
                })
                .onAnyMessage(msg -> Behaviors.same())
                .build());
        KitOptions kits = KitOptions.local();
        ActorRef<HierarchySupervisor.Command> supervisor = testKit.spawn(HierarchySupervisor.create(config, hierarchy,
                r -> Kits.create(r, kits), KIT_THREADS, board, new NoFencing(), new OperatorLog("n1")));
        spawned.add(supervisor);
        spawned.add(board);
        return supervisor;
    }

    private ActorRef<HierarchySupervisor.Command> startOutOfService() {
        ActorRef<HierarchySupervisor.Command> supervisor = start();
        awaitStates(ResourceState.OSU, "disk", "ip", "fs/data", "db");
        return supervisor;
    }

    private StatusReply<ActionOutcome> perform(ActorRef<HierarchySupervisor.Command> supervisor, HierarchyAction action,
                                               String tag) {
        TestProbe<StatusReply<ActionOutcome>> reply = testKit.createTestProbe();
        supervisor.tell(new HierarchySupervisor.PerformAction(action, tag, reply.ref()));
        return reply.receiveMessage(WAIT);
    }

    private void awaitStates(ResourceState state, String... tags) {
        TestSupport.await(List.of(tags) + " " + state + " (now " + states + ")", WAIT, () -> List.of(tags).stream()
                .allMatch(t -> states.containsKey(t) && states.get(t).state() == state));
    }

    /** ip and disk depend on nothing: restored at the same time, in either order; then {@code rest}, in order. */
    private static void assertRestoredTogetherThen(List<String> actions, String... rest) {
        assertEquals(java.util.Set.of("restore ip", "restore disk"), java.util.Set.copyOf(actions.subList(0, 2)),
                actions.toString());
        assertEquals(List.of(rest), actions.subList(2, actions.size()));
    }

    private String mainLog() {
        return TestSupport.read(logs.resolve(LogType.LOG.fileName()));
    }

    private String newLogLines() {
        return mainLog().substring(logStart);
    }

    @Test
    void restoreBringsChildrenInServiceBeforeParentsAndRemoveTakesParentsOutFirst() {
        ActorRef<HierarchySupervisor.Command> supervisor = startOutOfService();
        StatusReply<ActionOutcome> restored = perform(supervisor, HierarchyAction.RESTORE, "db");
        assertTrue(restored.isSuccess(), restored.toString());
        ActionOutcome outcome = restored.getValue();
        assertTrue(outcome.succeeded());
        assertEquals("hierarchy \"db\" is in service on n1", outcome.message());
        assertEquals(List.of("db", "ip", "fs/data", "disk"), outcome.resources().stream().map(ActionOutcome.Resource::tag)
                .toList(), "root first, as status shows it");
        assertTrue(outcome.resources().stream().allMatch(r -> r.state() == ResourceState.ISP
                && r.reason().equals("restore action has succeeded")), outcome.toString());
        assertRestoredTogetherThen(app.actions(), "restore fs/data", "restore db");

        ActionOutcome removed = perform(supervisor, HierarchyAction.REMOVE, "fs/data").getValue();
        assertTrue(removed.succeeded(), removed.toString());
        assertEquals("db", removed.hierarchy(), "a resource's tag acts on its whole hierarchy");
        assertEquals(List.of("remove db", "remove fs/data", "remove disk", "remove ip"), app.actions().subList(4, 8));
        assertTrue(removed.resources().stream().allMatch(r -> r.state() == ResourceState.OSU
                && r.reason().equals("taken out of service by the operator (remove)")), removed.toString());
    }

    @Test
    void resourcesThatDoNotDependOnEachOtherAreRestoredAtTheSameTime() {
        ActorRef<HierarchySupervisor.Command> supervisor = startOutOfService();
        app.slowRestore();
        assertTrue(perform(supervisor, HierarchyAction.RESTORE, "db").getValue().succeeded());
        long[] ip = app.restoreSpan("ip");
        long[] disk = app.restoreSpan("disk");
        long[] fs = app.restoreSpan("fs/data");
        long[] db = app.restoreSpan("db");
        assertTrue(disk[0] < ip[1] && ip[0] < disk[1], "ip and disk overlap: ip " + ip[0] + ".." + ip[1] + ", disk "
                + disk[0] + ".." + disk[1]);
        assertTrue(fs[0] >= disk[1], "fs/data starts after disk, its dependency, is up");
        assertTrue(db[0] >= fs[1] && db[0] >= ip[1], "db starts after both its dependencies are up");
    }

    @Test
    void aFailingChildStopsItsParentsFromStartingAndWhatWasStartedIsRemovedAgain() {
        ActorRef<HierarchySupervisor.Command> supervisor = startOutOfService();
        app.fail("restore", "fs/data");
        ActionOutcome outcome = perform(supervisor, HierarchyAction.RESTORE, "db").getValue();

        assertFalse(outcome.succeeded());
        assertTrue(outcome.message().startsWith("restore of resource \"fs/data\" failed: restore script "), outcome.message());
        assertTrue(outcome.message().endsWith("exited 1; what had been started was taken out of service again"),
                outcome.message());
        assertRestoredTogetherThen(app.actions(), "restore fs/data", "remove fs/data", "remove disk", "remove ip");
        // db never starts; fs/data's leftovers, then disk and ip go again, top-down
        Map<String, ActionOutcome.Resource> after = byTag(outcome);
        assertEquals(ResourceState.OSF, after.get("fs/data").state());
        assertTrue(after.get("fs/data").reason().startsWith("restore failed: restore script "), after.toString());
        for (String tag : List.of("db", "ip", "disk")) {
            assertEquals(ResourceState.OSU, after.get(tag).state(), tag);
        }
        assertTrue(after.get("ip").reason().startsWith("out of service again: restore of resource \"fs/data\" failed"));
        assertTrue(newLogLines().contains("n1 ERROR hierarchy \"db\" could not be brought in service on \"n1\": restore "
                + "of resource \"fs/data\" failed: "), newLogLines());
    }

    @Test
    void aFailedCheckIsRepairedInPlaceWithTheManualsLogLines() {
        ActorRef<HierarchySupervisor.Command> supervisor = startOutOfService();
        assertTrue(perform(supervisor, HierarchyAction.RESTORE, "db").getValue().succeeded());
        app.kill("ip");
        TestSupport.await("ip recovered", WAIT, () -> app.actions().contains("recover ip") && app.running("ip")
                && states.get("ip").reason().startsWith("in service again after local recovery"));
        assertEquals(ResourceState.ISP, states.get("ip").state());
        assertEquals("in service again after local recovery from event \"gen,fail\"", states.get("ip").reason());
        TestSupport.await("the success logged", WAIT, () -> newLogLines().contains("succeeded (attempt 1 of 2)"));
        String log = newLogLines();
        assertTrue(log.contains("n1 WARN  RECOVERY class=gen event=fail name=ip STARTING AT: "), log);
        assertTrue(log.contains("n1 WARN  recover: resource \"ip\" with id \"ip\" has experienced failure event "
                + "\"gen,fail\""), log);
        assertTrue(log.contains("n1 INFO  recover: attempting recovery using resource \"ip\" after failure by event "
                + "\"gen,fail\" on resource \"ip\""), log);
        assertTrue(log.contains("n1 INFO  recover: local recovery of resource \"ip\" after event \"gen,fail\" succeeded"
                + " (attempt 1 of 2)"), log);
        assertEquals(List.of("recover ip"), app.actions().stream().filter(a -> !a.startsWith("restore")).toList(),
                "nothing else was touched");
    }

    @Test
    void whenEveryAttemptFailsTheHierarchyIsTakenOutOfServiceWithTheFailedResourceOsf() {
        ActorRef<HierarchySupervisor.Command> supervisor = startOutOfService();
        assertTrue(perform(supervisor, HierarchyAction.RESTORE, "db").getValue().succeeded());
        app.fail("recover", "fs/data");
        app.kill("fs/data");
        awaitStates(ResourceState.OSU, "db", "ip", "disk");
        awaitStates(ResourceState.OSF, "fs/data");

        assertEquals(List.of("recover fs/data", "recover fs/data", "remove db", "remove fs/data", "remove disk", "remove ip"),
                app.actions().subList(4, app.actions().size()), "two attempts, then top-down");
        String reason = states.get("fs/data").reason();
        assertTrue(reason.startsWith("recover script ") && reason.endsWith(" exited 1 (event \"gen,fail\"; local "
                + "recovery failed after 2 attempts)"), reason);
        assertTrue(states.get("db").reason().startsWith("out of service: resource \"fs/data\" failed after event "
                + "\"gen,fail\": "), states.get("db").reason());
        String log = newLogLines();
        assertTrue(log.contains("n1 WARN  recover: attempt 2 of 2 at local recovery of resource \"fs/data\" failed: "), log);
        assertTrue(log.contains("n1 ERROR recover: recovery failed after event \"gen,fail\" using recovery at resource "
                + "\"fs/data\" on failing resource \"fs/data\""), log);
        assertTrue(log.contains("n1 ERROR recover: all attempts at local recovery have failed after event \"gen,fail\" "
                + "occurred to resource \"fs/data\""), log);
        assertFalse(log.contains("Local recovery failed for IP instance"), "that line is the IP kit's");
        assertTrue(log.contains("n1 ERROR hierarchy \"db\" is taken out of service on \"n1\": resource \"fs/data\" failed"
                + " after event \"gen,fail\": "), log);
    }

    /**
     * The hierarchy of {@link #configure} with fs/data and disk checked only once an hour: a failure
     * of fs/data can only be found by db's recovery, which checks what db depends on first.
     */
    private void fsCheckedOnlyByDb() throws Exception {
        config = TestSupport.configWith(dir, "n1", List.of(TestSupport.freePort(), TestSupport.freePort()),
                TestSupport.freePort(), app.defaults() + """
                  hierarchies = [ { tag = db, priorities { n1 = 1, n2 = 10 }, resources = [
                    { tag = disk, type = generic, check-interval = 1h }
                    { tag = ip, type = generic }
                    { tag = "fs/data", type = generic, depends-on = [disk], check-interval = 1h }
                    { tag = db, type = generic, depends-on = [ip, "fs/data"] }
                  ] } ]
                """);
        hierarchy = config.hierarchies().get(0);
    }

    @Test
    void aResourceWhoseDependencyFailedUnderneathItIsRepairedAfterTheDependency() throws Exception {
        fsCheckedOnlyByDb();
        ActorRef<HierarchySupervisor.Command> supervisor = startOutOfService();
        assertTrue(perform(supervisor, HierarchyAction.RESTORE, "db").getValue().succeeded());
        app.kill("fs/data");
        app.kill("db");
        TestSupport.await("db and fs/data recovered", WAIT, () -> app.running("db") && app.running("fs/data")
                && newLogLines().contains("recover: local recovery of resource \"db\" after event \"gen,fail\" succeeded"));
        assertEquals(List.of("recover fs/data", "recover db"), app.actions().subList(4, app.actions().size()),
                "the dependency first, then db; nothing else touched");
        String log = newLogLines();
        assertTrue(log.contains("n1 WARN  quickCheck of resource \"fs/data\" on \"n1\" failed, event \"gen,fail\""), log);
        assertTrue(log.contains("n1 WARN  recover: resource \"db\" depends on resource \"fs/data\", whose check fails too "
                + "(event \"gen,fail\"): "), log);
        assertTrue(log.contains("; recovering \"fs/data\" first"), log);
        assertTrue(log.indexOf("RECOVERY class=gen event=fail name=fs/data") < log.indexOf("RECOVERY class=gen event=fail name=db"),
                log);
        for (String tag : List.of("db", "ip", "fs/data", "disk")) {
            assertEquals(ResourceState.ISP, states.get(tag).state(), tag);
        }
    }

    @Test
    void aDependencyThatCannotBeRepairedIsTheFailureTheHierarchyEscalatesWith() throws Exception {
        fsCheckedOnlyByDb();
        ActorRef<HierarchySupervisor.Command> supervisor = startOutOfService();
        assertTrue(perform(supervisor, HierarchyAction.RESTORE, "db").getValue().succeeded());
        app.fail("recover", "fs/data");
        app.kill("fs/data");
        app.kill("db");
        awaitStates(ResourceState.OSU, "db", "ip", "disk");
        awaitStates(ResourceState.OSF, "fs/data");
        assertEquals(List.of("recover fs/data", "recover fs/data", "remove db", "remove fs/data", "remove disk", "remove ip"),
                app.actions().subList(4, app.actions().size()), "db is not repaired on a filesystem that failed");
        assertTrue(states.get("db").reason().startsWith("out of service: resource \"fs/data\" failed after event "
                + "\"gen,fail\": recover script "), states.get("db").reason());
        assertTrue(newLogLines().contains("n1 ERROR hierarchy \"db\" is taken out of service on \"n1\": resource \"fs/data\" "
                + "failed"), newLogLines());
    }

    @Test
    void aMisconfiguredResourceGetsNoRecoveryAttemptAndNoRestartLoop() throws Exception {
        ActorRef<HierarchySupervisor.Command> supervisor = startOutOfService();
        assertTrue(perform(supervisor, HierarchyAction.RESTORE, "db").getValue().succeeded());
        // The check script of every resource cannot run any more: the same on every server.
        Files.setPosixFilePermissions(app.scripts.resolve("check"), java.nio.file.attribute.PosixFilePermissions
                .fromString("rw-r--r--"));
        TestSupport.await("the hierarchy out of service", WAIT, () -> states.values().stream()
                .noneMatch(s -> s.state().inService()) && states.values().stream()
                .anyMatch(s -> s.state() == ResourceState.OSF));
        Thread.sleep(600);
        assertFalse(app.actions().stream().anyMatch(a -> a.startsWith("recover")), app.actions().toString());
        assertEquals(4, app.actions().stream().filter(a -> a.startsWith("restore")).count(), "no restart loop");
        String failed = states.entrySet().stream().filter(e -> e.getValue().state() == ResourceState.OSF)
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        assertTrue(states.get(failed).reason().contains("cannot be run (missing or not executable)")
                && states.get(failed).reason().endsWith("no local recovery: misconfigured)"), states.toString());
        assertTrue(newLogLines().contains("n1 ERROR recover: no local recovery of resource \"" + failed
                + "\" after event \"gen,fail\": misconfigured (it fails the same on every server): "), newLogLines());
    }

    @Test
    void theOperatorsRemoveStopsLocalRecoveryFromFightingIt() {
        ActorRef<HierarchySupervisor.Command> supervisor = startOutOfService();
        assertTrue(perform(supervisor, HierarchyAction.RESTORE, "db").getValue().succeeded());
        app.slowRecovery();
        app.fail("recover", "db");
        app.kill("db");
        TestSupport.await("the first recovery attempt running", WAIT, () -> app.actions().contains("recover db"));
        ActionOutcome removed = perform(supervisor, HierarchyAction.REMOVE, "db").getValue();
        assertTrue(removed.succeeded(), removed.toString());
        assertEquals(1, app.actions().stream().filter(a -> a.equals("recover db")).count(),
                "no second attempt after the operator's remove: " + app.actions());
        assertTrue(removed.resources().stream().allMatch(r -> r.state() == ResourceState.OSU), removed.toString());
    }

    @Test
    void restoreWaitsUntilTheOtherServerAcknowledgesThisOwner() throws Exception {
        ActorRef<HierarchySupervisor.Command> supervisor = startOutOfService();
        n2Claim.set(n1 -> Claim.unknown());
        TestProbe<StatusReply<ActionOutcome>> reply = testKit.createTestProbe();
        supervisor.tell(new HierarchySupervisor.PerformAction(HierarchyAction.RESTORE, "ip", reply.ref()));
        Thread.sleep(1500);
        assertTrue(app.actions().isEmpty(), "nothing is started before n2 has said what it runs: " + app.actions());
        reply.expectNoMessage(Duration.ofMillis(10));
        n2Claim.set(HierarchySupervisorTest::acknowledging);
        StatusReply<ActionOutcome> restored = reply.receiveMessage(WAIT);
        assertTrue(restored.isSuccess() && restored.getValue().succeeded(), restored.toString());
    }

    @Test
    void atStartAHierarchyFoundRunningIsAdoptedWithoutRestoringIt() {
        for (String tag : List.of("disk", "ip", "fs/data", "db")) {
            app.markRunning(tag);
        }
        start();
        awaitStates(ResourceState.ISP, "disk", "ip", "fs/data", "db");
        assertEquals("adopted: already in service on this server", states.get("db").reason());
        assertTrue(app.actions().isEmpty(), "no restore: " + app.actions());
        assertTrue(newLogLines().contains("n1 INFO  hierarchy \"db\" adopted on \"n1\": all its resources were already in"
                + " service here"), newLogLines());
    }

    @Test
    void atStartAHierarchyFoundPartlyRunningIsTakenOutOfService() {
        app.markRunning("disk");
        app.markRunning("fs/data");
        start();
        awaitStates(ResourceState.OSU, "disk", "ip", "fs/data", "db");
        assertEquals(List.of("remove fs/data", "remove disk"), app.actions());
        assertTrue(newLogLines().contains("n1 WARN  hierarchy \"db\" was partly in service on \"n1\" at start (disk "
                + "running, fs/data running): taking it out of service"), newLogLines());
    }

    @Test
    void afterJoiningTheHighestPriorityServerAliveRestoresTheHierarchy() {
        ActorRef<HierarchySupervisor.Command> supervisor = startOutOfService();
        supervisor.tell(HierarchySupervisor.ClusterJoined.INSTANCE);
        awaitStates(ResourceState.ISP, "disk", "ip", "fs/data", "db");
        TestSupport.await("logged", WAIT, () -> newLogLines().contains("n1 INFO  hierarchy \"db\" is in service on"
                + " \"n1\" (bringing db in service on n1)"));
        assertTrue(newLogLines().contains("n1 INFO  placement of hierarchy \"db\": bringing db in service on n1: the"
                + " highest-priority server that can run it (owner n1, generation 1)"), newLogLines());
    }

    @Test
    void afterJoiningNothingIsRestoredWhileAnotherServerHasTheHierarchy() {
        n2Claim.set(n1 -> new Claim(OwnerRecord.of("n2", 3), false, HierarchyReport.IN_SERVICE, Optional.empty(), true));
        ActorRef<HierarchySupervisor.Command> supervisor = startOutOfService();
        supervisor.tell(HierarchySupervisor.ClusterJoined.INSTANCE);
        TestSupport.await("n1 acknowledges n2 as the owner", WAIT, () -> n1Claim.get().owner().equals(OwnerRecord.of("n2", 3))
                && n1Claim.get().clear());
        assertTrue(app.actions().isEmpty());
    }

    @Test
    void shutdownTakesTheHierarchyOutOfServiceOrLeavesItRunningAsAsked() {
        ActorRef<HierarchySupervisor.Command> supervisor = startOutOfService();
        assertTrue(perform(supervisor, HierarchyAction.RESTORE, "db").getValue().succeeded());
        TestProbe<Done> done = testKit.createTestProbe();
        supervisor.tell(new HierarchySupervisor.Shutdown(new Shutdown(StopMode.LEAVE_RUNNING,
                ShutdownStrategy.DO_NOT_SWITCHOVER), done.ref()));
        done.expectMessage(WAIT, Done.getInstance());
        assertTrue(app.running("db"), "leave-running leaves it running");
        assertTrue(perform(supervisor, HierarchyAction.RESTORE, "db").isError(), "no more actions once stopping");

        supervisor.tell(new HierarchySupervisor.Shutdown(new Shutdown(StopMode.PLAIN,
                ShutdownStrategy.DO_NOT_SWITCHOVER), done.ref()));
        done.expectMessage(WAIT, Done.getInstance());
        assertFalse(app.running("db"));
        assertFalse(app.running("disk"));
    }

    private static Map<String, ActionOutcome.Resource> byTag(ActionOutcome outcome) {
        return outcome.resources().stream().collect(java.util.stream.Collectors.toMap(ActionOutcome.Resource::tag, r -> r));
    }

    @Test
    void actorNamesKeepTagsWithSlashesReadable() {
        assertEquals("resource-fs-%2Fshare", HierarchySupervisor.actorName("resource-", "fs-/share"));
    }
}
