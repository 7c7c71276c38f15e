package org.trialwatch.notification.rest;

import java.util.List;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

import org.trialwatch.support.problem.FieldError;
import org.trialwatch.support.problem.Problem;
import org.trialwatch.support.problem.ProblemException;

/**
 * Every error leaves as application/problem+json, built with service-support's toolkit, which also answers a thrown
 * {@link ProblemException} and a refused token. This service leaves {@code errors} out when no field is to blame.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /** Rejected input: each field named with why. */
    static ProblemException invalid(List<FieldError> errors) {
        return new ProblemException(invalid(errors.size() + " field(s) rejected", errors));
    }

    static ProblemException notFound(String what) {
        return ProblemException.notFound(what + " not found");
    }

    private static Problem invalid(String detail, List<FieldError> errors) {
        return Problem.of("invalid-request", "Invalid request", 400, detail)
                .withErrors(errors.isEmpty() ? null : errors);
    }

    @ServerExceptionMapper
    public Response unrecognized(UnrecognizedPropertyException e, UriInfo uri) {
        return respond(invalid("unknown field \"" + e.getPropertyName() + "\"",
                List.of(new FieldError(org.trialwatch.support.problem.ProblemMappers.jsonPath(e), "unknown field"))), uri);
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        String target = e.getTargetType() == null ? "value" : e.getTargetType().getSimpleName();
        return respond(invalid("a field has the wrong type or value",
                List.of(new FieldError(org.trialwatch.support.problem.ProblemMappers.jsonPath(e),
                        "cannot be read as " + target))), uri);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e, UriInfo uri) {
        return respond(invalid("the body is not valid JSON: " + e.getOriginalMessage(),
                List.of(new FieldError("body", "not valid JSON"))), uri);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return Response.fromResponse(respond(Problem.of("unauthorized", "Unauthorized", 401,
                "a bearer token is required (Authorization: Bearer …)"), uri)).header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(Problem.of("forbidden", "Forbidden", 403, "your role does not allow this"), uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        return respond(Problem.of("http-" + status, title, status, e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        LOG.error("unexpected error", e);
        return respond(Problem.of("internal-error", "Internal error", 500, "the request could not be completed"), uri);
    }

    private static Response respond(Problem problem, UriInfo uri) {
        return problem.at(org.trialwatch.support.problem.ProblemMappers.instance(uri)).toResponse();
    }
}
