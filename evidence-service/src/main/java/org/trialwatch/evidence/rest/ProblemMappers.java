package org.trialwatch.evidence.rest;

import java.util.List;

import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as {@code application/problem+json} (RFC 9457). */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    static final String TYPE_BASE = "https://trialwatch.org/problems/";

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.status(), e.slug(), e.title(), e.getMessage(), uri, e.errors());
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthenticated(uri);
    }

    // A token was sent and refused: said apart from a missing one (as the other services do), never which check failed
    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return Response.fromResponse(respond(401, "invalid-token", "Invalid token",
                "the bearer token was refused: it is malformed, expired, not yet valid, too old, not signed by the"
                        + " expected key, or from another issuer or for another audience", uri, List.of()))
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(403, "forbidden", "Forbidden", "this needs the operator role", uri, List.of());
    }

    private static Response unauthenticated(UriInfo uri) {
        return Response.fromResponse(respond(401, "unauthorized", "Unauthorized",
                "a valid bearer token is required", uri, List.of()))
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return respond(404, "not-found", "Not found", "no resource at this path", uri, List.of());
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, UriInfo uri) {
        return respond(405, "method-not-allowed", "Method not allowed", "this resource is read-only", uri, List.of());
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e, UriInfo uri) {
        return respond(406, "not-acceptable", "Not acceptable",
                "available representations: application/json" + (uri.getPath().startsWith("/api/evidence") ? ", text/csv" : ""),
                uri, List.of(new Problem.FieldError("Accept", "not a representation this resource offers")));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        return respond(status, "http-" + status, Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase(), e.getMessage(), uri, List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.error("unexpected error on " + uri.getPath(), e);
        return respond(500, "internal-error", "Internal error", "the request could not be completed", uri, List.of());
    }

    static Response respond(int status, String slug, String title, String detail, UriInfo uri,
                            List<Problem.FieldError> errors) {
        Problem p = new Problem(TYPE_BASE + slug, title, status, detail, instance(uri), errors);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(p).build();
    }

    private static String instance(UriInfo uri) {
        try {
            java.net.URI request = uri.getRequestUri();
            return request.getRawPath() + (request.getRawQuery() == null ? "" : "?" + request.getRawQuery());
        } catch (RuntimeException unparseable) {
            // a character java.net.URI refuses, sent as typed (curl sends "table=>1" so): the path alone still says where
            return uri.getPath();
        }
    }
}
