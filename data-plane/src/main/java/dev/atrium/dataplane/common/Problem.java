package dev.atrium.dataplane.common;

/**
 * The kinds of error the data plane reports: RFC 7807 problem+json on the Atrium API, OpenAI's error JSON on the
 * OpenAI-compatible endpoints (with {@link #openAiType}).
 */
public enum Problem {
    VALIDATION("validation-failed", "Request validation failed", 400, "invalid_request_error"),
    GUARDRAIL_BLOCKED("guardrail-blocked", "Blocked by a guardrail", 400, "invalid_request_error"),
    UNAUTHENTICATED("unauthenticated", "Authentication required", 401, "authentication_error"),
    FORBIDDEN("forbidden", "Access denied", 403, "permission_error"),
    MISSING_SCOPE("missing-scope", "The API key lacks the required scope", 403, "permission_error"),
    MODEL_NOT_APPROVED("model-not-approved", "Model version not approved for serving", 403, "permission_error"),
    TENANT_SUSPENDED("tenant-suspended", "Tenant is suspended", 403, "permission_error"),
    TENANT_NOT_ACTIVE("tenant-not-active", "Tenant is not active", 403, "permission_error"),
    TENANT_NOT_PLACED_HERE("tenant-not-placed-here", "Tenant is not served in this region", 403, "permission_error"),
    TENANT_HAS_OWN_DATA_PLANE("tenant-has-own-data-plane", "Tenant is served by a data plane of its own", 403,
            "permission_error"),
    MODEL_NOT_AVAILABLE("model-not-available", "Model not available", 404, "invalid_request_error"),
    NOT_FOUND("not-found", "Resource not found", 404, "invalid_request_error"),
    CONFLICT("conflict", "Conflict with the current state", 409, "invalid_request_error"),
    TOO_LARGE("payload-too-large", "Payload too large", 413, "invalid_request_error"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415, "invalid_request_error"),
    RATE_LIMITED("rate-limited", "Too many requests", 429, "rate_limit_error"),
    UNPROCESSABLE("unprocessable", "Request is well-formed but cannot be processed", 422, "invalid_request_error"),
    INTERNAL("internal-error", "Internal error", 500, "api_error"),
    UPSTREAM_FAILED("upstream-error", "The model backend failed", 502, "api_error"),
    CONTROL_PLANE_UNAVAILABLE("control-plane-unavailable", "Cannot verify credentials right now", 503, "api_error");

    private final String slug;
    private final String title;
    private final int status;
    private final String openAiType;

    Problem(String slug, String title, int status, String openAiType) {
        this.slug = slug;
        this.title = title;
        this.status = status;
        this.openAiType = openAiType;
    }

    public String type() {
        return "https://atrium.dev/problems/" + slug;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }

    public String openAiType() {
        return openAiType;
    }
}
