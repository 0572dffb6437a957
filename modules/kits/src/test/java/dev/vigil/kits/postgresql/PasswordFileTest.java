package dev.vigil.kits.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileTest {
    @TempDir
    Path dir;

    private PasswordFile.Lookup read(String contents) throws Exception {
        Path f = dir.resolve("pass");
        Files.writeString(f, contents);
        return PasswordFile.read(f, 5432, "postgres");
    }

    @Test
    void theFirstMatchingPgpassLineWins() throws Exception {
        PasswordFile.Lookup l = read("# comment\ndb1:5432:*:postgres:no\n*:5432:template1:*:yes\nlocalhost:*:*:*:later\n");
        assertEquals(Optional.of("yes"), l.password());
    }

    @Test
    void escapedColonsAndBackslashesAreUndone() throws Exception {
        assertEquals(Optional.of("a:b\\c"), read("127.0.0.1:5432:template1:postgres:a\\:b\\\\c\n").password());
        assertEquals(List.of("h:x", "1", "d", "u", "p:w"), PasswordFile.fields("h\\:x:1:d:u:p:w"));
    }

    @Test
    void aSingleLineThatIsNotPgpassIsTheBarePassword() throws Exception {
        assertEquals(Optional.of("s3cret:with:colons"), read("s3cret:with:colons\n").password());
    }

    @Test
    void pgpassLinesThatDoNotMatchAreAProblemNamingWhatWasLookedFor() throws Exception {
        PasswordFile.Lookup l = read("otherhost:5432:*:*:x\n");
        assertTrue(l.password().isEmpty());
        assertEquals(Optional.of("no line of password-file " + dir.resolve("pass")
                + " matches 127.0.0.1:5432:template1:postgres"), l.problem());
    }

    @Test
    void anEmptyOrUnreadableFileIsAProblem() throws Exception {
        assertTrue(read("\n# only a comment\n").problem().orElseThrow().contains("is empty"));
        assertTrue(PasswordFile.read(dir.resolve("absent"), 5432, "postgres").problem().orElseThrow()
                .startsWith("cannot read password-file"));
        assertTrue(read("one\ntwo\n").problem().orElseThrow().contains("none in the form host:port:database:user:password"));
    }
}
