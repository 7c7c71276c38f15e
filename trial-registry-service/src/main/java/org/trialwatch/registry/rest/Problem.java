package org.trialwatch.registry.rest;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
import org.trialwatch.registry.domain.FieldError;

/** RFC 9457 problem details, with {@code errors} naming each offending field and {@code rules} each broken rule. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String instance, List<FieldError> errors,
                      List<BrokenRule> rules, Long currentVersion) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://trialwatch.org/problems/";

    public record BrokenRule(String rule, String explanation) {
    }

    public static Problem of(String slug, String title, Response.Status status, String detail, String instance) {
        return new Problem(URI.create(TYPE_BASE + slug), title, status.getStatusCode(), detail, instance, null, null, null);
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

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
