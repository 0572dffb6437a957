package dev.vigil.daemon.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The admin API's request bodies: a JSON object with exactly one field whose value is one of a
 * few words ({@code {"mode": "remove"}}, {@code {"action": "restore"}}). Reads the value, or says
 * what is wrong in words an operator understands, always naming the field and the choices.
 */
final class JsonBody {

    /** The chosen word, or the error (for a 400). */
    record Choice(Optional<String> value, String error) {
        static Choice of(String value) {
            return new Choice(Optional.of(value), "");
        }

        static Choice wrong(String error) {
            return new Choice(Optional.empty(), error);
        }
    }

    private JsonBody() {
    }

    static Choice choice(String body, String field, List<String> choices) {
        String expected = "expected a JSON object {\"" + field + "\": \"" + String.join("\" | \"", choices) + "\"}";
        JsonNode json;
        try {
            json = body.isBlank() ? null : Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            return Choice.wrong("request body is not JSON (" + e.getOriginalMessage() + "); " + expected);
        }
        if (json == null || !json.isObject()) {
            return Choice.wrong("request body: " + expected);
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals(field)) {
                return Choice.wrong("unknown field \"" + name + "\"; " + expected);
            }
        }
        JsonNode value = json.get(field);
        if (value == null) {
            return Choice.wrong("missing field \"" + field + "\"; " + expected);
        }
        if (value.isTextual() && choices.contains(value.asText())) {
            return Choice.of(value.asText());
        }
        return Choice.wrong("invalid value " + value + " for field \"" + field + "\": must be one of "
                + choices.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(", ")));
    }
}
