package dev.atrium.dataplane.guardrail;

/** A guardrail match: the rule (e.g. {@code pii.email}, {@code injection.instruction-override}) and where it is. */
public record Finding(String rule, int start, int end) {
}
