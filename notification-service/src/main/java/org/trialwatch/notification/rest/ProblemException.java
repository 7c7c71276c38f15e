package org.trialwatch.notification.rest;

import java.util.List;

import org.trialwatch.notification.domain.matching.FieldError;

/** Ends a request with a problem detail. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    /** Seconds for a Retry-After header, or null. */
    private final Integer retryAfterSeconds;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    private ProblemException(Problem problem, Integer retryAfterSeconds) {
        super(problem.detail());
        this.problem = problem;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Problem problem() {
        return problem;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ProblemException tooManyRequests(String detail, int retryAfterSeconds) {
        return new ProblemException(Problem.of("too-many-requests", "Too many requests", 429, detail),
                retryAfterSeconds);
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(Problem.of("not-found", "Not found", 404, what + " not found"));
    }

    public static ProblemException invalid(List<FieldError> errors) {
        return new ProblemException(Problem.invalid(errors.size() + " field(s) rejected", errors));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of("conflict", "Conflict", 409, detail));
    }
}
