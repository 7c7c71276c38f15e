package org.trialwatch.registry.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses oversized bodies with a problem detail (413) before they are read. The HTTP layer's own limit
 * ({@code quarkus.http.limits.max-body-size}) stays as the backstop for bodies without Content-Length.
 */
public class BodySizeLimit {

    private final long maxBytes;

    public BodySizeLimit(@ConfigProperty(name = "trialwatch.api.max-body-bytes", defaultValue = "65536") long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @ServerRequestFilter(preMatching = true)
    public Response refuseOversized(ContainerRequestContext ctx) {
        String length = ctx.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxBytes) {
                    return Problem.of("body-too-large", "Request body too large", Response.Status.REQUEST_ENTITY_TOO_LARGE,
                            "the body has " + length.trim() + " bytes; at most " + maxBytes + " are accepted",
                            ctx.getUriInfo().getPath()).toResponse();
                }
            } catch (NumberFormatException e) {
                return Problem.of("invalid-input", "Invalid Content-Length", Response.Status.BAD_REQUEST,
                        "Content-Length is not a number", ctx.getUriInfo().getPath()).toResponse();
            }
        }
        return null;
    }
}
