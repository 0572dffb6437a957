package dev.vigil.kits.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PostmasterPidTest {
    @Test
    void readsPidPortAndStatus() {
        PostmasterPid p = PostmasterPid.parse("4242\n/share/data\n1700000000\n5432\n/var/run/postgresql\n*\n  5432001 3\nready   \n")
                .orElseThrow();
        assertEquals(4242, p.pid());
        assertEquals(Optional.of(5432), p.port());
        assertTrue(p.ready());
    }

    @Test
    void aStartingPostmasterIsNotReady() {
        assertFalse(PostmasterPid.parse("7\n/d\n1\n5432\n\n\n\nstarting\n").orElseThrow().ready());
        assertFalse(PostmasterPid.parse("7\n/d\n").orElseThrow().ready());
    }

    @Test
    void aGarbledFileHasNoPid() {
        assertTrue(PostmasterPid.parse("").isEmpty());
        assertTrue(PostmasterPid.parse("not a pid\n").isEmpty());
        assertTrue(PostmasterPid.parse("-3\n").isEmpty());
    }
}
