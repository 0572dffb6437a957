package dev.vigil.gui;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A browser-like client of the GUI's REST API for tests: keeps the session cookie and sends the CSRF token. */
final class ApiClient {
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String cookie;
    private String csrf;

    /** One answer: status, body text, its JSON (null if not JSON). */
    record Answer(int status, String body, JsonNode json) {
    }

    ApiClient(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    Answer login(String user, String password) {
        Answer a = send("POST", "/api/v1/login", Json.write(Map.of("user", user, "password", password)), Map.of());
        if (a.status() == 200) {
            csrf = a.json().get("csrfToken").asText();
        }
        return a;
    }

    Answer get(String path) {
        return send("GET", path, null, Map.of());
    }

    /** A state-changing request with the session's CSRF token. */
    Answer change(String method, String path, String body) {
        return send(method, path, body, csrf == null ? Map.of() : Map.of(Sessions.CSRF_HEADER, csrf));
    }

    Answer send(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            r.headers().firstValue("Set-Cookie").ifPresent(c -> cookie = c.split(";", 2)[0]);
            JsonNode json;
            try {
                json = Json.mapper().readTree(r.body());
            } catch (IOException e) {
                json = null;
            }
            return new Answer(r.statusCode(), r.body(), json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String setCookieHeaderOfLogin(String user, String password) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/login"))
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("user", user, "password", password))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.headers().firstValue("Set-Cookie").orElse("");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
