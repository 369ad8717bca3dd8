package dev.atrium.controlplane.provisioning;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * A credential handed in from Atrium's secret store (the data plane's service key, a database password). It only
 * leaves this object as the base64 data of a Kubernetes Secret: toString is redacted, and reports and conditions
 * are scrubbed of it.
 */
public final class SecretValue {

    private final String value;

    private SecretValue(String value) {
        this.value = value;
    }

    public static SecretValue of(String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidSpecException("a secret value is required");
        }
        return new SecretValue(value);
    }

    /** The value itself, for the one place that must send it (a bearer token, a Secret's data). */
    String reveal() {
        return value;
    }

    /** The value as a Secret's {@code data} entry. */
    String base64() {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces every occurrence of this value (plain or base64) in a text that may leave the engine. */
    String scrub(String text) {
        if (text == null) {
            return null;
        }
        return text.replace(value, "[redacted]").replace(base64(), "[redacted]");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SecretValue that && MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), that.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "SecretValue[redacted]";
    }
}
