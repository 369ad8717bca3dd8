package dev.atrium.console.api;

import java.util.List;

/**
 * An error answer of the control plane (RFC 7807 problem+json), or a failure to reach it. Pages show
 * {@link #userMessage()} to the user as it is: the control plane's {@code detail} is written for people.
 */
public class ApiProblem extends RuntimeException {

    public record FieldError(String field, String message) {
    }

    private final int status;
    private final String title;
    private final String detail;
    private final List<FieldError> errors;

    public ApiProblem(int status, String title, String detail, List<FieldError> errors) {
        super(status + " " + title + (detail == null ? "" : ": " + detail));
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static ApiProblem unreachable(String what, Exception cause) {
        ApiProblem problem = new ApiProblem(503, "Control plane unavailable",
                "The console could not reach the control plane (" + what + "). Try again in a moment.", List.of());
        problem.initCause(cause);
        return problem;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public String userMessage() {
        StringBuilder message = new StringBuilder(title == null ? "Error " + status : title);
        if (detail != null && !detail.isBlank()) {
            message.append(": ").append(detail);
        }
        for (FieldError error : errors) {
            if (detail != null && detail.contains(error.message())) {
                continue;
            }
            message.append("\n• ").append(error.message().startsWith(error.field()) ? "" : error.field() + ": ")
                    .append(error.message());
        }
        return message.toString();
    }
}
