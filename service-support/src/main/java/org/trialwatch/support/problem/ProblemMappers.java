package org.trialwatch.support.problem;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.databind.JsonMappingException;

import io.quarkus.security.AuthenticationFailedException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The exception mappings every service answers alike, registered in each service because this library is a bean
 * archive. The services map what they word differently (a missing token, an unknown path, an unreadable body: each
 * service's own problem types) with the same {@link Problem} and {@link #instance(UriInfo)}.
 */
public class ProblemMappers {

    static final String INVALID_TOKEN_DETAIL = "the bearer token was refused: it is malformed, expired, not yet valid,"
            + " too old, not signed by the expected key, or from another issuer or for another audience";

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Problem problem = e.problem().instance() == null ? e.problem().at(instance(uri)) : e.problem();
        Response.ResponseBuilder response = problem.response();
        if (e.retryAfterSeconds() != null) {
            response.header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds());
        }
        return response.build();
    }

    // A token was sent and refused: said apart from a missing one (a client that sent none is told to send one),
    // never which check failed
    @ServerExceptionMapper
    public Response invalidToken(AuthenticationFailedException e, UriInfo uri) {
        return Problem.of("invalid-token", "Invalid token", 401, INVALID_TOKEN_DETAIL).at(instance(uri)).response()
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"").build();
    }

    /**
     * The problem's {@code instance}: the request target as sent, path and query, so a rejected query parameter can be
     * seen in it. A character {@code java.net.URI} refuses (curl sends {@code table=>1} as typed) leaves the path alone.
     */
    public static String instance(UriInfo uri) {
        if (uri == null) {
            return null;
        }
        try {
            java.net.URI request = uri.getRequestUri();
            return request.getRawPath() + (request.getRawQuery() == null ? "" : "?" + request.getRawQuery());
        } catch (RuntimeException unparseable) {
            return uri.getPath();
        }
    }

    /** Where in the body a Jackson failure happened, as {@code subscription.filters[0].status}; "body" at the top. */
    public static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }
}
