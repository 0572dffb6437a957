package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.cli.testing.CliRun;
import dev.vigil.cli.testing.CliRun.Result;
import dev.vigil.cli.testing.TestConfig;
import dev.vigil.core.users.Role;
import dev.vigil.core.users.UserFile;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lkpasswd, lkGUIapp and vigil shutdown-strategy's argument checks, in-process; the passwords come from stdin here. */
class LkPasswdCommandTest {
    @TempDir
    Path dir;
    TestConfig c;
    Path users;

    @BeforeEach
    void setUp() throws Exception {
        c = TestConfig.write(dir, TestConfig.freePort());
        users = dir.resolve("etc/gui-users");
        Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(dir.resolve("conf.d/gui.conf"), "vigil.gui { users-file = \"" + users + "\", port = 8181 }\n");
    }

    private Result lkpasswd(String stdin, String... args) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            String[] all = new String[args.length + 3];
            all[0] = "lkpasswd";
            all[1] = "-c";
            all[2] = c.file.toString();
            System.arraycopy(args, 0, all, 3, args.length);
            return CliRun.of(all);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void aUserIsSavedWithItsRoleAndAHashInARootOnlyFile() throws Exception {
        Result r = lkpasswd("s3cret\ns3cret\n", "-operator", "ops1");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("GUI user 'ops1' saved as operator in " + users + "\n", r.out());
        assertEquals(Optional.of(Role.OPERATOR), UserFile.read(users).authenticate("ops1", "s3cret".toCharArray()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(users)));
        assertFalse(Files.readString(users).contains("s3cret"));
    }

    @Test
    void withoutARoleANewUserIsAnAdministratorAndAnExistingOneKeepsItsRole() throws Exception {
        assertEquals(0, lkpasswd("a\na\n", "boss").exit());
        assertEquals(Role.ADMINISTRATOR, UserFile.read(users).user("boss").orElseThrow().role());
        assertEquals(0, lkpasswd("g\ng\n", "-guest", "visitor").exit());
        assertEquals(0, lkpasswd("new\nnew\n", "visitor").exit());
        assertEquals(Optional.of(Role.GUEST), UserFile.read(users).authenticate("visitor", "new".toCharArray()));
    }

    @Test
    void differentOrEmptyPasswordsChangeNothing() throws Exception {
        Result r = lkpasswd("one\ntwo\n", "-guest", "x");
        assertEquals(1, r.exit());
        assertEquals("lkpasswd: the two passwords differ; nothing changed\n", r.err());
        r = lkpasswd("\n\n", "-guest", "x");
        assertEquals(1, r.exit());
        assertEquals("lkpasswd: empty password; nothing changed\n", r.err());
        assertFalse(Files.exists(users));
    }

    @Test
    void deleteRemovesTheUserAndNamesAMissingOne() throws Exception {
        lkpasswd("p\np\n", "-guest", "temp");
        Result r = lkpasswd("", "-delete", "temp");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("GUI user 'temp' deleted\n", r.out());
        assertTrue(UserFile.read(users).users().isEmpty());
        r = lkpasswd("", "-delete", "temp");
        assertEquals(7, r.exit());
        assertEquals("lkpasswd: no GUI user 'temp' in " + users + "\n", r.err());
    }

    @Test
    void wrongUsageIsOneLineAndTheUsage() {
        Result r = lkpasswd("", "-guest", "-operator", "x");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("lkpasswd: Error: -guest, -operator are mutually exclusive")
                || r.err().startsWith("lkpasswd: "), r::toString);
        r = lkpasswd("", "bad name");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("lkpasswd: invalid user name 'bad name'"), r::toString);
        assertTrue(r.err().contains("Usage: lkpasswd"), r::toString);
    }

    @Test
    void lkGuiAppPrintsTheAddressOfThisServersGui() {
        Result r = CliRun.of("lkGUIapp", "-c", c.file.toString());
        assertEquals(0, r.exit(), r::toString);
        assertEquals("http://127.0.0.1:8181/\n", r.out());
    }

    @Test
    void lkGuiServerRefusesAnUnknownActionAndSaysWhenItIsNotRunning() {
        Result r = CliRun.of("lkGUIserver", "restart", "-c", c.file.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("lkGUIserver: unknown action 'restart'; use start, stop or status"), r::toString);
        r = CliRun.of("lkGUIserver", "status", "-c", c.file.toString());
        assertEquals(1, r.exit());
        assertEquals("GUI server is not running\n", r.out());
        r = CliRun.of("lkGUIserver", "stop", "-c", c.file.toString());
        assertEquals(0, r.exit());
        assertEquals("GUI server is not running\n", r.out());
    }

    @Test
    void shutdownStrategyNamesTheTwoWordsAndNeedsTheDaemon() {
        Result r = CliRun.of("vigil", "shutdown-strategy", "later", "-c", c.file.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("vigil shutdown-strategy: unknown strategy 'later'; use switchover or do-not-switchover"),
                r::toString);
        r = CliRun.of("vigil", "shutdown-strategy", "switchover", "-c", c.file.toString());
        assertEquals(9, r.exit(), r::toString);
        assertEquals("Vigil does not appear to be running.\n", r.err());
    }
}
