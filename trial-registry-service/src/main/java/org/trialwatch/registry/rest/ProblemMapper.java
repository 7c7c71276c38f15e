package org.trialwatch.registry.rest;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
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
import org.trialwatch.registry.domain.InvalidInputException;
import org.trialwatch.registry.domain.ResultsRejectedException;
import org.trialwatch.registry.domain.TransitionRejectedException;
import org.trialwatch.registry.domain.TrialNotFoundException;
import org.trialwatch.registry.domain.VersionMismatchException;
import org.trialwatch.support.problem.FieldError;
import org.trialwatch.support.problem.Problem;
import org.trialwatch.support.problem.ProblemMappers;

/**
 * Turns the registry's own failures into RFC 9457 problem details with the shared toolkit, so a client always learns
 * which field and why. A thrown {@link org.trialwatch.support.problem.ProblemException} and a refused token are
 * answered by service-support's {@link ProblemMappers}.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e, UriInfo uri) {
        return invalid(e.getMessage(), uri).withErrors(e.errors()).toResponse();
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.add(new FieldError(fieldName(v.getPropertyPath().toString()), v.getMessage()));
        }
        errors.sort(java.util.Comparator.comparing(FieldError::field));
        return invalid(errors.size() + " field(s) invalid", uri).withErrors(errors).toResponse();
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
            field = ProblemMappers.jsonPath(u);
            reason = "unknown field (allowed: " + u.getKnownPropertyIds() + ")";
        } else if (e instanceof InvalidFormatException f) {
            field = ProblemMappers.jsonPath(f);
            reason = "'" + f.getValue() + "' is not a valid " + describe(f.getTargetType());
        } else if (e instanceof MismatchedInputException m) {
            field = ProblemMappers.jsonPath(m);
            reason = "expected " + describe(m.getTargetType());
        } else if (e instanceof JsonParseException) {
            reason = "the body is not valid JSON: " + e.getOriginalMessage();
        } else if (e instanceof JsonMappingException m) {
            field = ProblemMappers.jsonPath(m);
            reason = m.getOriginalMessage();
        } else {
            reason = e.getOriginalMessage();
        }
        Problem p = invalid((field == null ? "" : field + ": ") + reason, uri);
        return (field == null ? p : p.withErrors(List.of(new FieldError(field, reason)))).toResponse();
    }

    @ServerExceptionMapper
    public Response resultsRejected(ResultsRejectedException e, UriInfo uri) {
        return problem("invalid-results", "Results cannot be read as evidence", 422, e.getMessage(), uri)
                .withErrors(e.errors()).toResponse();
    }

    @ServerExceptionMapper
    public Response notFound(TrialNotFoundException e, UriInfo uri) {
        return problem("trial-not-found", "Trial not tracked", 404, e.getMessage(), uri).toResponse();
    }

    @ServerExceptionMapper
    public Response duplicate(DuplicateTrialException e, UriInfo uri) {
        return problem("trial-already-tracked", "Trial already tracked", 409, e.getMessage(), uri)
                .withErrors(List.of(new FieldError("nctId", "already tracked"))).toResponse();
    }

    @ServerExceptionMapper
    public Response transition(TransitionRejectedException e, UriInfo uri) {
        List<Problem.BrokenRule> rules = e.rules().stream()
                .map(r -> new Problem.BrokenRule(r.name(), r.explanation())).toList();
        return problem("illegal-status-transition", "Illegal status transition", 422,
                "the change breaks: " + String.join(", ", e.rules().stream().map(Enum::name).toList()), uri)
                .withErrors(List.of(new FieldError("newStatus", rules.get(0).explanation()))).withRules(rules)
                .toResponse();
    }

    @ServerExceptionMapper
    public Response stale(VersionMismatchException e, UriInfo uri) {
        return problem("version-mismatch", "Trial changed since you read it", 412, e.getMessage(), uri)
                .withCurrentVersion(e.currentVersion()).toResponse();
    }

    @ServerExceptionMapper
    public Response preconditionRequired(PreconditionRequiredException e, UriInfo uri) {
        return problem("if-match-required", "If-Match required", 428, e.getMessage(), uri)
                .withErrors(List.of(new FieldError("If-Match", "header missing"))).toResponse();
    }

    @ServerExceptionMapper
    public Response syncDisabled(SyncDisabledException e, UriInfo uri) {
        return problem("ctgov-sync-disabled", "ClinicalTrials.gov sync not configured", 503, e.getMessage(), uri)
                .toResponse();
    }

    @ServerExceptionMapper
    public Response syncRunning(SyncAlreadyRunningException e, UriInfo uri) {
        return problem("ctgov-sync-running", "A sync run is already going", 409,
                e.getMessage() + "; see /api/sync/runs/" + e.runningRunId(), uri).toResponse();
    }

    @ServerExceptionMapper
    public Response studyNotInRegistry(StudyNotInRegistryException e, UriInfo uri) {
        return problem("study-not-in-registry", "Study not in ClinicalTrials.gov", 422,
                e.getMessage() + "; nothing was stored", uri)
                .withErrors(List.of(new FieldError("nctId", "ClinicalTrials.gov does not know this id"))).toResponse();
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
        return problem("ctgov-bad-answer", "ClinicalTrials.gov gave an unusable answer", 502,
                e.getMessage() + "; nothing was stored", uri).toResponse();
    }

    @ServerExceptionMapper
    public Response malformedStudy(MalformedStudyException e, UriInfo uri) {
        return problem("ctgov-malformed-record", "The ClinicalTrials.gov record cannot be read", 502,
                e.getMessage() + "; nothing was stored", uri).toResponse();
    }

    private static Response upstreamUnavailable(String detail, UriInfo uri) {
        return problem("ctgov-unavailable", "ClinicalTrials.gov unavailable", 503, detail + "; nothing was stored", uri)
                .response().header(HttpHeaders.RETRY_AFTER, "60").build();
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return problem("unauthenticated", "Authentication required", 401,
                "send a bearer token (Authorization: Bearer …) with the curator role", uri)
                .response().header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return problem("forbidden", "Forbidden", 403,
                "the token's roles do not allow this (curator: trial changes; operator: the outbox's parked events)",
                uri).toResponse();
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
        Response.ResponseBuilder out = Problem.blank(title, status, e.getMessage()).at(ProblemMappers.instance(uri))
                .response();
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
        LOG.error("unexpected failure on " + ProblemMappers.instance(uri), e);
        return problem("internal-error", "Internal error", 500,
                "the request could not be completed; nothing was changed", uri).toResponse();
    }

    private static Problem invalid(String detail, UriInfo uri) {
        return problem("invalid-input", "Invalid input", 400, detail, uri);
    }

    private static Problem problem(String slug, String title, int status, String detail, UriInfo uri) {
        return Problem.of(slug, title, status, detail).at(ProblemMappers.instance(uri));
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
}
