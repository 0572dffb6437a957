package dev.vigil.core.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserFileTest {
    @TempDir
    Path dir;

    @Test
    void aStoredUserLogsInWithItsPasswordOnlyAndTheFileIsRootOnly() throws IOException {
        Path file = dir.resolve("etc/gui-users");
        UserFile.read(file).put("alice", Role.OPERATOR, "s3cret pass".toCharArray());
        UserFile again = UserFile.read(file);
        assertEquals(Optional.of(Role.OPERATOR), again.authenticate("alice", "s3cret pass".toCharArray()));
        assertEquals(Optional.empty(), again.authenticate("alice", "s3cret Pass".toCharArray()));
        assertEquals(Optional.empty(), again.authenticate("bob", "s3cret pass".toCharArray()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String text = Files.readString(file);
        assertFalse(text.contains("s3cret"), text);
        assertTrue(text.contains("alice:operator:pbkdf2-sha256:" + PasswordHash.ITERATIONS + ":"), text);
    }

    @Test
    void theSamePasswordTwiceGetsDifferentSalts() {
        PasswordHash a = PasswordHash.create("pw".toCharArray());
        PasswordHash b = PasswordHash.create("pw".toCharArray());
        assertNotEquals(a.encoded(), b.encoded());
        assertTrue(PasswordHash.decode(a.encoded()).matches("pw".toCharArray()));
    }

    @Test
    void deleteAndRoleChangeRewriteTheFile() throws IOException {
        Path file = dir.resolve("users");
        UserFile f = UserFile.read(file);
        f.put("bob", Role.GUEST, "x".toCharArray());
        f.put("bob", Role.ADMINISTRATOR, "y".toCharArray());
        assertEquals(Optional.of(Role.ADMINISTRATOR), UserFile.read(file).authenticate("bob", "y".toCharArray()));
        assertTrue(f.delete("bob"));
        assertFalse(f.delete("bob"));
        assertTrue(UserFile.read(file).users().isEmpty());
    }

    @Test
    void aDamagedLineIsNamedWithFileAndLine() throws IOException {
        Path file = dir.resolve("users");
        Files.writeString(file, "# comment\nalice:boss:pbkdf2-sha256:1:AA:AA\n");
        IOException e = assertThrows(IOException.class, () -> UserFile.read(file));
        assertEquals(file + ":2: unknown role 'boss' of user 'alice'; roles: guest, operator, administrator",
                e.getMessage());
        Files.writeString(file, "alice:guest:md5:xyz\n");
        e = assertThrows(IOException.class, () -> UserFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ":1: password hash of user 'alice': expected pbkdf2-sha256"),
                e.getMessage());
    }

    @Test
    void rolesIncludeTheLowerOnes() {
        assertTrue(Role.ADMINISTRATOR.allows(Role.OPERATOR));
        assertTrue(Role.OPERATOR.allows(Role.GUEST));
        assertFalse(Role.GUEST.allows(Role.OPERATOR));
        assertFalse(Role.OPERATOR.allows(Role.ADMINISTRATOR));
    }
}
