package org.trialwatch.support.problem;

/**
 * Ends a request with a problem detail; {@link ProblemMappers} answers it, filling in {@code instance} from the request
 * when the thrower did not.
 */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    /** Seconds for a Retry-After header, or null. */
    private final Integer retryAfterSeconds;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    public ProblemException(Problem problem, Integer retryAfterSeconds) {
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

    public static ProblemException notFound(String detail) {
        return new ProblemException(Problem.of("not-found", "Not found", 404, detail));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of("conflict", "Conflict", 409, detail));
    }

    public static ProblemException tooManyRequests(String detail, int retryAfterSeconds) {
        return new ProblemException(Problem.of("too-many-requests", "Too many requests", 429, detail),
                retryAfterSeconds);
    }
}
