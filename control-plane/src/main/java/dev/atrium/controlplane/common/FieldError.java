package dev.atrium.controlplane.common;

/** One invalid field of a request, reported in the {@code errors} member of a problem. */
public record FieldError(String field, String message) {
}
