package org.trialwatch.registry.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One body limit for every request: {@code quarkus.http.limits.max-body-size}, which the HTTP layer enforces on
 * chunked bodies as they arrive and on declared lengths up front. This handler runs before that check so that a
 * declared length over the limit is answered with a problem detail (413) before any of the body is read, instead of
 * the HTTP layer's empty 413.
 */
@ApplicationScoped
public class BodySizeLimit {

    private final long maxBytes;
    private final ObjectMapper json;

    public BodySizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
                         ObjectMapper json) {
        this.maxBytes = maxBodySize.asLongValue();
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::refuseOversized);
    }

    private void refuseOversized(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        if (length == null) {
            ctx.next();
            return;
        }
        Problem problem;
        try {
            long declared = Long.parseLong(length.trim());
            if (declared <= maxBytes) {
                ctx.next();
                return;
            }
            problem = Problem.of("body-too-large", "Request body too large", Response.Status.REQUEST_ENTITY_TOO_LARGE,
                    "the body has " + declared + " bytes; at most " + maxBytes + " are accepted", ctx.request().path());
        } catch (NumberFormatException e) {
            problem = Problem.of("invalid-input", "Invalid Content-Length", Response.Status.BAD_REQUEST,
                    "Content-Length is not a number", ctx.request().path());
        }
        try {
            ctx.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .putHeader("Connection", "close").end(json.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }
}
