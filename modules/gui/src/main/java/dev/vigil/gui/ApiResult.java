package dev.vigil.gui;

import java.util.Map;

/** An answer of the REST API before it becomes an HTTP response: a status and a JSON body. */
public record ApiResult(int status, String json) {

    public static ApiResult ok(Object body) {
        return new ApiResult(200, Json.write(body));
    }

    public static ApiResult error(int status, String message) {
        return new ApiResult(status, Json.error(message));
    }

    /** One line for the GUI log: "done: …", "failed: …" or "refused (HTTP 409): …". */
    public String summary() {
        try {
            com.fasterxml.jackson.databind.JsonNode n = Json.mapper().readTree(json);
            if (status != 200) {
                return "refused (HTTP " + status + "): " + n.path("error").asText();
            }
            if (n.has("succeeded")) {
                return (n.get("succeeded").asBoolean() ? "done: " : "failed: ") + n.path("message").asText();
            }
            if (n.has("message")) {
                return "done: " + n.get("message").asText();
            }
            return "done: " + json;
        } catch (java.io.IOException e) {
            return "HTTP " + status + ": " + json;
        }
    }

    public static ApiResult error(int status, String message, Map<String, Object> extra) {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("error", message);
        body.putAll(extra);
        return new ApiResult(status, Json.write(body));
    }
}
