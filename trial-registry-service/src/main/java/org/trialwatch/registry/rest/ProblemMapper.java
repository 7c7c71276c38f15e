package org.trialwatch.registry.rest;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.trialwatch.registry.ctgov.CtgovRejectedException;
import org.trialwatch.registry.ctgov.CtgovUnavailableException;
import org.trialwatch.registry.ctgov.MalformedStudyException;
import org.trialwatch.registry.ctgov.StudyNotInRegistryException;
import org.trialwatch.registry.ctgov.SyncAlreadyRunningException;
import org.trialwatch.registry.ctgov.SyncDisabledException;
import org.trialwatch.registry.domain.DuplicateTrialException;
import org.trialwatch.registry.domain.FieldError;
import org.trialwatch.registry.domain.InvalidInputException;
import org.trialwatch.registry.domain.ResultsRejectedException;
import org.trialwatch.registry.domain.TransitionRejectedException;
import org.trialwatch.registry.domain.TrialNotFoundException;
import org.trialwatch.registry.domain.VersionMismatchException;

/** Turns every failure into RFC 9457 problem details, so a client always learns which field and why. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e, UriInfo uri) {
        return Problem.of("invalid-input", "Invalid input", Response.Status.BAD_REQUEST, e.getMessage(), path(uri))
                .withErrors(e.errors()).toResponse();
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.add(new FieldError(fieldName(v.getPropertyPath().toString()), v.getMessage()));
        }
        errors.sort(java.util.Comparator.comparing(FieldError::field));
        return Problem.of("invalid-input", "Invalid input", Response.Status.BAD_REQUEST,
                errors.size() + " field(s) invalid", path(uri)).withErrors(errors).toResponse();
    }

    // Quarkus maps Jackson's subtypes with built-in mappers; the closest type wins, so each is named here.
    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response violation(io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException e,
                              UriInfo uri) {
        return constraintViolation(e, uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        String field = null;
        String reason;
        if (e instanceof UnrecognizedPropertyException u) {
            field = jsonPath(u);
            reason = "unknown field (allowed: " + u.getKnownPropertyIds() + ")";
        } else if (e instanceof InvalidFormatException f) {
            field = jsonPath(f);
            reason = "'" + f.getValue() + "' is not a valid " + describe(f.getTargetType());
        } else if (e instanceof MismatchedInputException m) {
            field = jsonPath(m);
            reason = "expected " + describe(m.getTargetType());
        } else if (e instanceof JsonParseException) {
            reason = "the body is not valid JSON: " + e.getOriginalMessage();
        } else if (e instanceof JsonMappingException m) {
            field = jsonPath(m);
            reason = m.getOriginalMessage();
        } else {
            reason = e.getOriginalMessage();
        }
        Problem p = Problem.of("invalid-input", "Invalid input", Response.Status.BAD_REQUEST,
                (field == null ? "" : field + ": ") + reason, path(uri));
        return (field == null ? p : p.withErrors(List.of(new FieldError(field, reason)))).toResponse();
    }

    @ServerExceptionMapper
    public Response resultsRejected(ResultsRejectedException e, UriInfo uri) {
        return new Problem(java.net.URI.create("https://trialwatch.org/problems/invalid-results"),
                "Results cannot be read as evidence", 422, e.getMessage(), path(uri), e.errors(), null, null)
                .toResponse();
    }

    @ServerExceptionMapper
    public Response notFound(TrialNotFoundException e, UriInfo uri) {
        return Problem.of("trial-not-found", "Trial not tracked", Response.Status.NOT_FOUND, e.getMessage(), path(uri))
                .toResponse();
    }

    @ServerExceptionMapper
    public Response duplicate(DuplicateTrialException e, UriInfo uri) {
        return Problem.of("trial-already-tracked", "Trial already tracked", Response.Status.CONFLICT, e.getMessage(),
                path(uri)).withErrors(List.of(new FieldError("nctId", "already tracked"))).toResponse();
    }

    @ServerExceptionMapper
    public Response transition(TransitionRejectedException e, UriInfo uri) {
        List<Problem.BrokenRule> rules = e.rules().stream()
                .map(r -> new Problem.BrokenRule(r.name(), r.explanation())).toList();
        return Response.status(422).type(Problem.MEDIA_TYPE).entity(new Problem(
                java.net.URI.create("https://trialwatch.org/problems/illegal-status-transition"),
                "Illegal status transition", 422,
                "the change breaks: " + String.join(", ", e.rules().stream().map(Enum::name).toList()),
                path(uri), List.of(new FieldError("newStatus", rules.get(0).explanation())), rules, null)).build();
    }

    @ServerExceptionMapper
    public Response stale(VersionMismatchException e, UriInfo uri) {
        return Problem.of("version-mismatch", "Trial changed since you read it", Response.Status.PRECONDITION_FAILED,
                e.getMessage(), path(uri)).withCurrentVersion(e.currentVersion()).toResponse();
    }

    @ServerExceptionMapper
    public Response preconditionRequired(PreconditionRequiredException e, UriInfo uri) {
        return Response.status(428).type(Problem.MEDIA_TYPE).entity(new Problem(
                java.net.URI.create("https://trialwatch.org/problems/if-match-required"), "If-Match required", 428,
                e.getMessage(), path(uri), List.of(new FieldError("If-Match", "header missing")), null, null)).build();
    }

    @ServerExceptionMapper
    public Response syncDisabled(SyncDisabledException e, UriInfo uri) {
        return Problem.of("ctgov-sync-disabled", "ClinicalTrials.gov sync not configured",
                Response.Status.SERVICE_UNAVAILABLE, e.getMessage(), path(uri)).toResponse();
    }

    @ServerExceptionMapper
    public Response syncRunning(SyncAlreadyRunningException e, UriInfo uri) {
        return Problem.of("ctgov-sync-running", "A sync run is already going", Response.Status.CONFLICT,
                e.getMessage() + "; see /api/sync/runs/" + e.runningRunId(), path(uri)).toResponse();
    }

    @ServerExceptionMapper
    public Response studyNotInRegistry(StudyNotInRegistryException e, UriInfo uri) {
        return Response.status(422).type(Problem.MEDIA_TYPE).entity(new Problem(
                java.net.URI.create("https://trialwatch.org/problems/study-not-in-registry"),
                "Study not in ClinicalTrials.gov", 422, e.getMessage() + "; nothing was stored", path(uri),
                List.of(new FieldError("nctId", "ClinicalTrials.gov does not know this id")), null, null)).build();
    }

    @ServerExceptionMapper
    public Response ctgovUnavailable(CtgovUnavailableException e, UriInfo uri) {
        return upstreamUnavailable(e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response faultTolerance(org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException e,
                                   UriInfo uri) {
        return upstreamUnavailable(e instanceof org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException
                ? "calls to ClinicalTrials.gov are paused after repeated failures" : e.toString(), uri);
    }

    @ServerExceptionMapper
    public Response ctgovRejected(CtgovRejectedException e, UriInfo uri) {
        return Problem.of("ctgov-bad-answer", "ClinicalTrials.gov gave an unusable answer", Response.Status.BAD_GATEWAY,
                e.getMessage() + "; nothing was stored", path(uri)).toResponse();
    }

    @ServerExceptionMapper
    public Response malformedStudy(MalformedStudyException e, UriInfo uri) {
        return Problem.of("ctgov-malformed-record", "The ClinicalTrials.gov record cannot be read",
                Response.Status.BAD_GATEWAY, e.getMessage() + "; nothing was stored", path(uri)).toResponse();
    }

    private static Response upstreamUnavailable(String detail, UriInfo uri) {
        return Response.status(503).type(Problem.MEDIA_TYPE).header(HttpHeaders.RETRY_AFTER, "60")
                .entity(Problem.of("ctgov-unavailable", "ClinicalTrials.gov unavailable",
                        Response.Status.SERVICE_UNAVAILABLE, detail + "; nothing was stored", path(uri))).build();
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthenticated(uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        // A token was sent and refused: say so (a client that sent none is told to send one), never why in detail
        return Response.status(401).type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
                .entity(Problem.of("invalid-token", "Invalid token", Response.Status.UNAUTHORIZED,
                        INVALID_TOKEN_DETAIL, path(uri)))
                .build();
    }

    static final String INVALID_TOKEN_DETAIL = "the bearer token was refused: it is malformed, expired, not yet valid,"
            + " too old, not signed by the expected key, or from another issuer or for another audience";

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return Problem.of("forbidden", "Forbidden", Response.Status.FORBIDDEN,
                "the token's roles do not allow this (curator: trial changes; operator: the outbox's parked events)",
                path(uri)).toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String title;
        if (e instanceof NotFoundException) {
            title = "Not found";
        } else if (e instanceof NotAllowedException) {
            title = "Method not allowed";
        } else if (e instanceof NotSupportedException) {
            title = "Unsupported media type";
        } else {
            Response.Status known = Response.Status.fromStatusCode(status);
            title = known == null ? "Error" : known.getReasonPhrase();
        }
        Response.ResponseBuilder out = Response.status(status).type(Problem.MEDIA_TYPE).entity(new Problem(
                java.net.URI.create("about:blank"), title, status, e.getMessage(), path(uri), null, null, null));
        e.getResponse().getHeaders().forEach((k, v) -> {
            if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(k)) {
                v.forEach(value -> out.header(k, value));
            }
        });
        return out.build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        if (e instanceof WebApplicationException w) {
            return webApplication(w, uri);
        }
        LOG.error("unexpected failure on " + path(uri), e);
        return Problem.of("internal-error", "Internal error", Response.Status.INTERNAL_SERVER_ERROR,
                "the request could not be completed; nothing was changed", path(uri)).toResponse();
    }

    private static Response unauthenticated(UriInfo uri) {
        return Response.status(401).type(Problem.MEDIA_TYPE).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .entity(Problem.of("unauthenticated", "Authentication required", Response.Status.UNAUTHORIZED,
                        "send a bearer token (Authorization: Bearer …) with the curator role", path(uri)))
                .build();
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "body" : sb.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type.isEnum()) {
            return "value; one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        if (type == java.time.LocalDate.class) {
            return "date (yyyy-MM-dd)";
        }
        return type.getSimpleName();
    }

    /** "changeStatus.request.effectiveDate" → "effectiveDate". */
    private static String fieldName(String propertyPath) {
        String[] parts = propertyPath.split("\\.");
        return parts.length > 2 ? String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length))
                : parts[parts.length - 1];
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }
}
