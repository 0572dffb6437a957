package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.cli.testing.StatusFixtures;
import dev.vigil.core.ResourceState;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.CommPathStatus;
import dev.vigil.core.status.ResourceStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The streaming status reader agrees with Jackson's data binding, the daemon's writer. */
class RecordJsonTest {

    @Test
    void whatTheBindingWritesReadsBackEqual() throws Exception {
        for (ClusterStatus status : new ClusterStatus[] {StatusFixtures.threeServers(), StatusFixtures.inServiceTwice()}) {
            String json = Json.mapper().writeValueAsString(status);
            assertEquals(status, RecordJson.read(json, ClusterStatus.class));
            assertEquals(Json.mapper().readValue(json, ClusterStatus.class), RecordJson.read(json, ClusterStatus.class));
        }
    }

    @Test
    void unknownPropertiesAreSkippedAndMissingOnesAreNullOrZero() throws Exception {
        CommPathStatus p = RecordJson.read("{\"to\": \"n2\", \"future\": {\"a\": [1, {\"b\": null}]}, \"state\": \"DEAD\"}",
                CommPathStatus.class);
        assertEquals(new CommPathStatus("n2", null, null, null, dev.vigil.core.CommPathState.DEAD, 0, 0), p);
    }

    @Test
    void nullIsNullAndInstantsMayBeEpochSeconds() throws Exception {
        assertNull(RecordJson.read("null", ResourceStatus.class));
        ClusterStatus s = RecordJson.read("{\"local\": \"n1\", \"generatedAt\": 1764164400.5}", ClusterStatus.class);
        assertEquals(Instant.parse("2025-11-26T13:40:00.500Z"), s.generatedAt());
    }

    @Test
    void anUnknownStateIsAnErrorNamingTheValidOnes() {
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> RecordJson.read("{\"state\": \"UP\"}", ResourceStatus.class));
        assertEquals("'UP' is not one of " + java.util.List.of(ResourceState.values()), e.getOriginalMessage());
    }

    @Test
    void aWrongTypeIsAnErrorNamingWhere() {
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> RecordJson.read("{\"servers\": {\"n1\": 1}}", ClusterStatus.class));
        assertEquals("expected an array but found START_OBJECT at /servers", e.getOriginalMessage());
    }

    @Test
    void contentAfterTheValueAndBadInstantsAreErrors() {
        assertThrows(JsonProcessingException.class, () -> RecordJson.read("{} {}", ResourceStatus.class));
        assertThrows(JsonProcessingException.class, () -> RecordJson.read("", ResourceStatus.class));
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> RecordJson.read("{\"generatedAt\": \"yesterday\"}", ClusterStatus.class));
        assertTrue(e.getOriginalMessage().contains("yesterday"), e.getOriginalMessage());
    }

    @Test
    void theErrorTextOfAnErrorBodyIsFound() {
        assertEquals("busy", RecordJson.stringProperty("{\"x\": [1], \"error\": \"busy\"}", "error"));
        assertNull(RecordJson.stringProperty("<html>", "error"));
        assertNull(RecordJson.stringProperty("[\"error\"]", "error"));
        assertNull(RecordJson.stringProperty("{\"error\": null}", "error"));
    }
}
