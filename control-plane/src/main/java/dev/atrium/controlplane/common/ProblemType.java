package dev.atrium.controlplane.common;

import java.net.URI;

/**
 * The kinds of problem the API reports (RFC 7807). Services throw {@link ApiException} with one of these; only
 * the exception mapper turns them into HTTP statuses.
 */
public enum ProblemType {
    VALIDATION("validation-failed", "Request validation failed", 400),
    UNAUTHENTICATED("unauthenticated", "Authentication required", 401),
    FORBIDDEN("forbidden", "Access denied", 403),
    TENANT_SUSPENDED("tenant-suspended", "Tenant is suspended", 403),
    NOT_FOUND("not-found", "Resource not found", 404),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", 405),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable", 406),
    CONFLICT("conflict", "Conflict with the current state", 409),
    INVALID_TRANSITION("invalid-state-transition", "Invalid lifecycle transition", 409),
    QUOTA_EXCEEDED("quota-exceeded", "Plan quota exceeded", 409),
    PRECONDITION_FAILED("precondition-failed", "Precondition failed (stale ETag)", 412),
    TOO_LARGE("request-too-large", "Request body too large", 413),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415),
    UNPROCESSABLE("unprocessable", "Request is well-formed but cannot be processed", 422),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", "Idempotency-Key reused with a different request", 422),
    RATE_LIMITED("rate-limited", "Too many requests", 429),
    INTERNAL("internal-error", "Internal error", 500),
    BAD_GATEWAY("upstream-error", "An upstream service failed", 502),
    UNAVAILABLE("unavailable", "Service unavailable", 503);

    private static final String BASE = "https://atrium.dev/problems/";

    private final URI type;
    private final String title;
    private final int status;

    ProblemType(String slug, String title, int status) {
        this.type = URI.create(BASE + slug);
        this.title = title;
        this.status = status;
    }

    public URI type() {
        return type;
    }

    public String title() {
        return title;
    }

    int status() {
        return status;
    }
}
