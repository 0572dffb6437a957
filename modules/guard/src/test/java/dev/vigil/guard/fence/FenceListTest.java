package dev.vigil.guard.fence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class FenceListTest {

    @Test
    void fenceListSurvivesTheProtocolIncludingSpacesInPaths() {
        FenceList l = FenceList.empty().withKill(new FenceList.KillTarget(1234, 98765, "post master"))
                .withMount("/srv/my share/").withAddress("10.200.0.100/24", "eth0", "")
                .withAddress("10.200.0.101/24", "lo", "n1");
        assertEquals(List.of("KILL 1234 98765 post%20master", "UNMOUNT /srv/my%20share", "IPDEL 10.200.0.100/24 eth0",
                "IPDEL 10.200.0.101/24 lo n1"), l.encode());
        assertEquals(l, FenceList.decode(l.encode()));
        assertEquals("post master pid 1234, /srv/my share, 10.200.0.100/24 from eth0, 10.200.0.101/24 from lo"
                + " (netns n1)", l.describe());
    }

    @Test
    void malformedLinesAreRejectedNamingTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FenceList.decode(List.of("UNMOUNT relative/path")));
        assertTrue(e.getMessage().startsWith("bad fence list line \"UNMOUNT relative/path\""), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FenceList.decode(List.of("KILL 1 5 init")));
        assertThrows(IllegalArgumentException.class, () -> FenceList.decode(List.of("KILL x 5 pm")));
        assertThrows(IllegalArgumentException.class, () -> FenceList.decode(List.of("UNMOUNT /")));
        assertThrows(IllegalArgumentException.class, () -> FenceList.decode(List.of("REBOOT now")));
    }

    @Test
    void tokensEscapeEverythingThatCouldSplitALine() {
        String nasty = "a b%c\nEND\td\u00e9";
        String escaped = Tokens.escape(nasty);
        assertTrue(!escaped.contains(" ") && !escaped.contains("\n"), escaped);
        assertEquals(nasty, Tokens.unescape(escaped));
        assertEquals(List.of("FEED", "pg data", "12"), Tokens.split("FEED " + Tokens.join("pg data", 12)));
        assertThrows(IllegalArgumentException.class, () -> Tokens.unescape("bad%2"));
        assertEquals("plain/path_1.2", Tokens.escape("plain/path_1.2"));
    }

    @Test
    void tokensAreSeparatedByAnyRunOfSpacesAndTheLineIsTrimmed() {
        assertEquals(List.of("FEED", "pg", "12"), Tokens.split("  FEED   pg 12 \r"));
        assertEquals(List.of("a\tb"), Tokens.split("a\tb"), "only spaces separate tokens");
        assertEquals(List.of(), Tokens.split(""));
        assertEquals(List.of(), Tokens.split("   "));
        assertEquals(List.of("x y"), Tokens.split("x%20y"));
    }

    @Test
    void procStatParsesCommandNamesWithSpacesAndParentheses() {
        String stat = "4242 (my (odd) cmd) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 12345 67";
        ProcStat p = ProcStat.parse(stat).orElseThrow();
        assertEquals(new ProcStat(4242, "my (odd) cmd", 'S', 1, 4242, 4242, 987654), p);
    }

    @Test
    void thisProcessIsFoundWithItsStartTime() {
        ProcStat self = ProcStat.self().orElseThrow();
        assertEquals(ProcessHandle.current().pid(), self.pid());
        assertTrue(self.startTicks() > 0);
        assertTrue(!self.gone());
    }

    @Test
    void mountinfoEscapesAreDecoded() {
        assertEquals("/srv/my share\\x", Mounts.unescape("/srv/my\\040share\\134x"));
        assertTrue(Mounts.isMounted("/proc"));
    }
}
