package org.trialwatch.support.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A request whose path cannot even be decoded (a stray {@code %}, say) fails in the Vert.x router before any resource
 * or exception mapper sees it, and would get a bare text "Bad Request". This answers it as every other 400 is answered:
 * RFC 9457 problem+json saying why. Shared by the three services.
 */
@ApplicationScoped
public class UnreadableRequestProblem {

    void install(@Observes Router router) {
        router.errorHandler(400, UnreadableRequestProblem::answer);
    }

    static void answer(RoutingContext context) {
        if (context.response().headWritten()) {
            return;
        }
        String why = context.failure() == null || context.failure().getMessage() == null
                ? "the request could not be read" : context.failure().getMessage();
        JsonObject problem = new JsonObject().put("type", Problem.ABOUT_BLANK).put("title", "Bad Request").put("status", 400)
                .put("detail", "the request URI could not be read (" + why + "); percent-encode reserved characters")
                .put("instance", context.request().uri());
        context.response().setStatusCode(400).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(problem.encode());
    }
}
