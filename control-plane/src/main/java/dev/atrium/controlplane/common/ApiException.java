package dev.atrium.controlplane.common;

import java.util.List;

/** A domain error with a problem type, a human-readable detail and optional per-field errors. */
public class ApiException extends RuntimeException {

    private final ProblemType problemType;
    private final List<FieldError> fieldErrors;

    public ApiException(ProblemType problemType, String detail) {
        this(problemType, detail, List.of());
    }

    public ApiException(ProblemType problemType, String detail, List<FieldError> fieldErrors) {
        super(detail, null, false, false);
        this.problemType = problemType;
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    public static ApiException notFound(String what, Object id) {
        return new ApiException(ProblemType.NOT_FOUND, what + " " + id + " not found");
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(ProblemType.VALIDATION, field + ": " + message, List.of(new FieldError(field, message)));
    }

    public ProblemType problemType() {
        return problemType;
    }

    public List<FieldError> fieldErrors() {
        return fieldErrors;
    }
}
