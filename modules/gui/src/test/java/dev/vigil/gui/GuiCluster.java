package dev.vigil.gui;

import com.typesafe.config.ConfigFactory;
import dev.vigil.core.ServerState;
import dev.vigil.core.config.GuiSettings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.users.PasswordHash;
import dev.vigil.core.users.Role;
import dev.vigil.core.users.UserFile;
import dev.vigil.daemon.Daemon;
import dev.vigil.daemon.TestSupport;
import dev.vigil.daemon.api.AdminToken;
import dev.vigil.daemon.notify.LogSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * A real two-server cluster for the GUI's tests: daemons n1 (priority 1) and n2 (priority 10) in
 * this JVM with the manual-shaped hierarchy of {@link TestSupport#config} (generic resources
 * keeping marker files), their admin tokens written where the daemons' configuration says, and
 * the GUI server of n1 on a free port of 127.0.0.1 talking to n1's admin API. Remote exec runs
 * the real commands: {@code <dir>/home/bin} holds {@code perform_action}, {@code lk_log} and
 * {@code vigil} scripts running {@code dev.vigil.cli.Main} on this JVM's class path.
 * Users: {@code admin} (administrator), {@code oper} (operator), {@code guest} (guest), each
 * with the password {@code <name>-pw}.
 */
final class GuiCluster implements AutoCloseable {
    static final String ROOT = "powergres-/share/data";
    static final Duration WAIT = Duration.ofSeconds(60);

    final Path dir;
    final VigilConfig[] configs = new VigilConfig[2];
    final Daemon[] daemons = new Daemon[2];
    final VigilConfig guiConfig;
    private final ActorSystem<Void> guiSystem;
    private final GuiServer gui;
    private final ServerBinding binding;

    GuiCluster() throws Exception {
        this("");
    }

    /** With {@code moreHierarchies} (HOCON objects on the generic marker scripts) after the usual one. */
    GuiCluster(String moreHierarchies) throws Exception {
        dir = Files.createTempDirectory("vigil-gui-test");
        Path bin = Files.createDirectories(dir.resolve("home/bin"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String command : List.of("perform_action", "lk_log", "vigil")) {
            TestSupport.script(bin.resolve(command), "exec '" + java + "' -XX:TieredStopAtLevel=1 -cp '"
                    + System.getProperty("java.class.path") + "' dev.vigil.cli.Main " + command + " \"$@\"\n");
        }
        System.setProperty("vigil.home", dir.resolve("home").toString());
        LogSetup.configure(new dev.vigil.core.config.LogSettings(dir.resolve("logs"), 10L << 20, 5), "test");
        List<Integer> clusterPorts = TestSupport.freePorts(2);
        List<Integer> adminPorts = TestSupport.freePorts(2);
        for (int i = 0; i < 2; i++) {
            configs[i] = TestSupport.config(dir, "n" + (i + 1), clusterPorts, adminPorts.get(i), "", moreHierarchies);
        }
        for (int i = 0; i < 2; i++) {
            String token = AdminToken.generate();
            AdminToken.write(configs[i].admin().tokenFile(), token);
            daemons[i] = Daemon.start(configs[i], token, TestSupport.crashable(), () -> { });
        }
        Path users = dir.resolve("gui-users");
        UserFile file = UserFile.read(users);
        // Few PBKDF2 rounds: every login of the tests verifies one (the rounds are stored with each hash).
        file.put("admin", Role.ADMINISTRATOR, PasswordHash.create("admin-pw".toCharArray(), 1000));
        file.put("oper", Role.OPERATOR, PasswordHash.create("oper-pw".toCharArray(), 1000));
        file.put("guest", Role.GUEST, PasswordHash.create("guest-pw".toCharArray(), 1000));
        VigilConfig c = configs[0];
        guiConfig = new VigilConfig(c.serverName(), c.stateDir(), c.cluster(), c.admin(), c.logs(), c.shutdownStrategy(),
                c.hierarchies(), c.sources(), c.kits(), new GuiSettings(0, "127.0.0.1", users, Duration.ofMinutes(30)),
                c.snmp(), c.jmx());
        guiSystem = ActorSystem.create(Behaviors.empty(), "vigil-gui-test", ConfigFactory.parseString(
                "pekko.http.server.remote-address-attribute = on\npekko.loglevel = WARNING")
                .withFallback(ConfigFactory.load()));
        gui = new GuiServer(guiSystem, guiConfig, new GuiLog(c.logs(), c.serverName()));
        binding = gui.bind(0).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    String url() {
        return "http://127.0.0.1:" + binding.localAddress().getPort() + "/";
    }

    /** Waits until n1's status shows both servers alive and the hierarchy in service on n1 (as the cluster forms it). */
    void awaitFormed() {
        TestSupport.await("cluster formed, hierarchy in service on n1", WAIT, () -> {
            var s = TestSupport.status(daemons[0].system());
            return s.server("n2").orElseThrow().state() == ServerState.ALIVE
                    && s.server("n1").orElseThrow().resources().get(ROOT).state().inService()
                    && s.server("n2").orElseThrow().resources().get(ROOT) != null
                    && !s.server("n2").orElseThrow().resources().get(ROOT).state().inService()
                    && s.server("n2").orElseThrow().resources().get(ROOT).state() != dev.vigil.core.ResourceState.ILLSTATE;
        });
    }

    /** Stops the daemon of server {@code index} as lkstop does and starts it again (a new admin token), as lkstart does. */
    void restart(int index) throws Exception {
        daemons[index].stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
        String token = AdminToken.generate();
        AdminToken.write(configs[index].admin().tokenFile(), token);
        daemons[index] = Daemon.start(configs[index], token, TestSupport.crashable(), () -> { });
    }

    /** The daemon of server {@code index} stops at once, as if killed: no leave, no removal of its hierarchies. */
    void crash(int index) throws Exception {
        daemons[index].system().terminate();
        daemons[index].system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        daemons[index] = null;
    }

    String guiLog() throws IOException {
        Path f = guiConfig.logs().dir().resolve("gui.log");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    @Override
    public void close() throws Exception {
        try {
            binding.terminate(Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            gui.close();
            guiSystem.terminate();
            // Stopped as by a crash: their resources are marker files in dir, deleted below; an orderly
            // stop (leave the cluster, remove the hierarchy) would only make the test slower.
            for (int i = 0; i < daemons.length; i++) {
                if (daemons[i] != null) {
                    crash(i);
                }
            }
        } finally {
            System.clearProperty("vigil.home");
            TestSupport.deleteRecursively(dir);
        }
    }
}
