package org.trialwatch.dashboard.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;

/**
 * The dashboard's body limit ({@code quarkus.http.limits.max-body-size}) for every form, whatever its framing, with an
 * answer a browser can show instead of Quarkus' bare 413: a form declaring a length over the limit (browsers always
 * declare one) is refused with a page before any of it is read. A chunked body, which only a script sends, is cut off by
 * Quarkus' own enforcement of the same limit with a bare 413; either way nothing oversized reaches a page's handler.
 * (The services answer with problem+json in both cases, through service-support's {@code BodyLimit}; the dashboard
 * does not take that module, whose beans are the services'.)
 */
@ApplicationScoped
public class BodySizeLimitPage {

    private final long maxBytes;

    public BodySizeLimitPage(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBytes = maxBodySize.asLongValue();
    }

    void install(@Observes Router router) {
        // a declared length over the limit is refused before any of the body is read
        router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && length.trim().matches("\\d{1,18}") && Long.parseLong(length.trim()) > maxBytes) {
                refuse(ctx.response());
            } else {
                ctx.next();
            }
        });
    }

    private void refuse(HttpServerResponse response) {
        // a page of its own: the shared layout reads the request-scoped viewer, which a refusal here has not got
        response.setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8")
                .putHeader(HttpHeaders.CONNECTION, "close") // the rest of the body is not read
                .end("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too much to send · TrialWatch"
                        + "</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head><body><main><h1>Too much to "
                        + "send</h1><p>The form sent more than " + maxBytes + " bytes, the most the dashboard accepts.</p>"
                        + "<p class=\"muted\">HTTP status 413.</p><p><a href=\"/trials\">Back to the trials</a></p>"
                        + "</main></body></html>");
    }
}
