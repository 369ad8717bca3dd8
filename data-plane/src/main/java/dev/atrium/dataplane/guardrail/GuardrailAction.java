package dev.atrium.dataplane.guardrail;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a tenant's policy does when a guardrail fires: nothing, count it, mask it, or refuse the request. */
public enum GuardrailAction {
    OFF, FLAG, REDACT, BLOCK;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static GuardrailAction of(String value) {
        return value == null ? null : valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
