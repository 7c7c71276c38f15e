package org.trialwatch.support.problem;

import java.util.List;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem details body, the one every service answers errors with. {@code errors} names each offending
 * field and why; {@code rules} (a rejected status change) and {@code currentVersion} (a stale If-Match) are extension
 * members only the registry sets. Members left null are not written, so each service keeps the members it has always
 * sent: a service that lists no field errors as {@code "errors": []} passes an empty list, one that leaves the member
 * out passes none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors,
                      List<BrokenRule> rules, Long currentVersion) {

    public static final String MEDIA_TYPE = "application/problem+json";
    /** Every TrialWatch problem type is a slug under this URI. */
    public static final String TYPE_BASE = "https://trialwatch.org/problems/";
    /** RFC 9457's type for a problem that says no more than its HTTP status. */
    public static final String ABOUT_BLANK = "about:blank";

    /** A rule a rejected change broke, by name, with the reason in words. */
    public record BrokenRule(String rule, String explanation) {
    }

    /** A TrialWatch problem type: {@code slug} is appended to {@link #TYPE_BASE}. */
    public static Problem of(String slug, String title, int status, String detail) {
        return new Problem(TYPE_BASE + slug, title, status, detail, null, null, null, null);
    }

    /** A problem of type {@code about:blank}: the status says it all. */
    public static Problem blank(String title, int status, String detail) {
        return new Problem(ABOUT_BLANK, title, status, detail, null, null, null, null);
    }

    public Problem at(String requestTarget) {
        return new Problem(type, title, status, detail, requestTarget, errors, rules, currentVersion);
    }

    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, instance, fieldErrors, rules, currentVersion);
    }

    public Problem withRules(List<BrokenRule> brokenRules) {
        return new Problem(type, title, status, detail, instance, errors, brokenRules, currentVersion);
    }

    public Problem withCurrentVersion(long version) {
        return new Problem(type, title, status, detail, instance, errors, rules, version);
    }

    /** The response to send: this body, its status, {@code application/problem+json}. */
    public Response.ResponseBuilder response() {
        return Response.status(status).type(MEDIA_TYPE).entity(this);
    }

    public Response toResponse() {
        return response().build();
    }
}
