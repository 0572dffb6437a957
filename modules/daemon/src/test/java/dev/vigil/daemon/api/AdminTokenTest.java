package dev.vigil.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.daemon.TestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin token: random, written for root only, and checked exactly. */
class AdminTokenTest {
    private Path dir;

    @BeforeEach
    void tempDir() throws Exception {
        dir = Files.createTempDirectory("vigil-token-test");
    }

    @AfterEach
    void cleanUp() {
        TestSupport.deleteRecursively(dir);
    }

    @Test
    void tokensAre64HexCharactersAndNeverRepeat() {
        String a = AdminToken.generate();
        assertTrue(a.matches("[0-9a-f]{64}"), a);
        assertNotEquals(a, AdminToken.generate());
    }

    @Test
    void tokenFileIsCreatedWithItsDirectoryReadableByOwnerOnlyAndReplacesAWiderOne() throws Exception {
        Path file = dir.resolve("state/sub/admin.token");
        AdminToken.write(file, "first");
        assertEquals("first\n", Files.readString(file));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        AdminToken.write(file, "second");
        assertEquals("second\n", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void onlyTheExactBearerTokenMatches() {
        String token = AdminToken.generate();
        assertTrue(AdminToken.matches(token, Optional.of("Bearer " + token)));
        assertFalse(AdminToken.matches(token, Optional.empty()));
        assertFalse(AdminToken.matches(token, Optional.of(token)));
        assertFalse(AdminToken.matches(token, Optional.of("Basic " + token)));
        assertFalse(AdminToken.matches(token, Optional.of("Bearer " + token.substring(1))));
        assertFalse(AdminToken.matches(token, Optional.of("Bearer " + token + "0")));
        assertFalse(AdminToken.matches(token, Optional.of("Bearer ")));
    }
}
