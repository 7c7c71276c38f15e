package org.trialwatch.evidence.rest;

import java.util.List;

import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.trialwatch.support.problem.FieldError;
import org.trialwatch.support.problem.Problem;
import org.trialwatch.support.problem.ProblemException;

/**
 * Every error leaves as {@code application/problem+json} (RFC 9457), built with service-support's toolkit, which also
 * answers a thrown {@link ProblemException} and a refused token. This service always lists {@code errors}, empty when
 * no field is to blame.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /** A rejected query or path parameter, each named with why. */
    static ProblemException badRequest(List<FieldError> errors) {
        return new ProblemException(Problem.of("invalid-parameter", "Invalid request parameter", 400,
                String.join("; ", errors.stream().map(e -> e.field() + ": " + e.reason()).toList())).withErrors(errors));
    }

    static ProblemException notFound(String what) {
        return new ProblemException(Problem.of("not-found", "Not found", 404, what).withErrors(List.of()));
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return respond(401, "unauthorized", "Unauthorized", "a valid bearer token is required", uri, List.of())
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(403, "forbidden", "Forbidden", "this needs the operator role", uri, List.of()).build();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return respond(404, "not-found", "Not found", "no resource at this path", uri, List.of()).build();
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, UriInfo uri) {
        return respond(405, "method-not-allowed", "Method not allowed", "this resource is read-only", uri, List.of())
                .build();
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e, UriInfo uri) {
        return respond(406, "not-acceptable", "Not acceptable",
                "available representations: application/json" + (uri.getPath().startsWith("/api/evidence") ? ", text/csv" : ""),
                uri, List.of(new FieldError("Accept", "not a representation this resource offers"))).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        return respond(status, "http-" + status, Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase(), e.getMessage(), uri, List.of()).build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.error("unexpected error on " + uri.getPath(), e);
        return respond(500, "internal-error", "Internal error", "the request could not be completed", uri, List.of())
                .build();
    }

    private static Response.ResponseBuilder respond(int status, String slug, String title, String detail, UriInfo uri,
                                                    List<FieldError> errors) {
        return Problem.of(slug, title, status, detail).at(org.trialwatch.support.problem.ProblemMappers.instance(uri))
                .withErrors(errors).response();
    }
}
