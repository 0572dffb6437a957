package dev.vigil.daemon.api;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;

/**
 * The admin API's two kinds of answer, shared by every route (AdminApi, ActionRoute,
 * RemoteExecRoute): a JSON body with its status, or a JSON {@code {"error": "..."}}.
 */
final class Responses {
    private Responses() {
    }

    static HttpResponse json(StatusCode status, String body) {
        return HttpResponse.create().withStatus(status).withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
    }

    static HttpResponse error(StatusCode status, String message) {
        return json(status, Json.error(message));
    }
}
