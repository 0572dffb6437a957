package dev.vigil.gui;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a JSON answer against a schema of the OpenAPI file (the subset it uses: object with
 * required properties and additionalProperties, array, string with enum, integer, boolean,
 * nullable, $ref). Returns what does not match, as "path: problem" lines.
 */
final class OpenApiShape {
    private final JsonNode doc;

    OpenApiShape(JsonNode doc) {
        this.doc = doc;
    }

    List<String> check(JsonNode schema, JsonNode value) {
        List<String> problems = new ArrayList<>();
        check(schema, value, "$", problems);
        return problems;
    }

    private void check(JsonNode schema, JsonNode value, String at, List<String> problems) {
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().replace("#/components/schemas/", "");
            check(doc.path("components").path("schemas").path(name), value, at, problems);
            return;
        }
        if (value == null || value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                problems.add(at + ": null, but not nullable");
            }
            return;
        }
        switch (schema.path("type").asText()) {
            case "object" -> {
                if (!value.isObject()) {
                    problems.add(at + ": expected an object, got " + value);
                    return;
                }
                for (JsonNode r : schema.path("required")) {
                    if (!value.has(r.asText())) {
                        problems.add(at + ": missing required property " + r.asText());
                    }
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    JsonNode p = schema.path("properties").get(f.getKey());
                    if (p != null) {
                        check(p, f.getValue(), at + "." + f.getKey(), problems);
                    } else if (schema.has("additionalProperties")) {
                        check(schema.get("additionalProperties"), f.getValue(), at + "." + f.getKey(), problems);
                    } else {
                        problems.add(at + ": property " + f.getKey() + " is not documented");
                    }
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    problems.add(at + ": expected an array, got " + value);
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    check(schema.get("items"), value.get(i), at + "[" + i + "]", problems);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    problems.add(at + ": expected a string, got " + value);
                } else if (schema.has("enum")) {
                    boolean listed = false;
                    for (JsonNode e : schema.get("enum")) {
                        listed |= e.asText().equals(value.asText()) && !e.isNull();
                    }
                    if (!listed) {
                        problems.add(at + ": " + value + " is not one of " + schema.get("enum"));
                    }
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    problems.add(at + ": expected an integer, got " + value);
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    problems.add(at + ": expected a boolean, got " + value);
                }
            }
            default -> problems.add(at + ": the schema has no type I know: " + schema);
        }
    }
}
