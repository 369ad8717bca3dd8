package dev.atrium.dataplane.common;

/** A domain error; {@link ErrorMapper} renders it for the API the request came through. */
public class ApiException extends RuntimeException {

    private final Problem problem;
    private final String param;
    private final long retryAfterSeconds;

    public ApiException(Problem problem, String detail) {
        this(problem, detail, null);
    }

    public ApiException(Problem problem, String detail, String param) {
        this(problem, detail, param, 0);
    }

    /** With {@code Retry-After} (in seconds, when above zero): when the client may try again. */
    public ApiException(Problem problem, String detail, String param, long retryAfterSeconds) {
        super(detail, null, false, false);
        this.problem = problem;
        this.param = param;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(Problem.VALIDATION, field + ": " + message, field);
    }

    public static ApiException notFound(String what, Object id) {
        return new ApiException(Problem.NOT_FOUND, what + " " + id + " not found");
    }

    public Problem problem() {
        return problem;
    }

    public String param() {
        return param;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
