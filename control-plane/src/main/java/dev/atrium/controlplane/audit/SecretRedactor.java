package dev.atrium.controlplane.audit;

import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Replaces the values of fields whose names suggest a secret before state snapshots enter the audit trail.
 * The audit trail is exported to third parties, so it must never carry a credential.
 */
final class SecretRedactor {

    static final String REDACTED = "[REDACTED]";
    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(secret|password|passwd|token|credential|pepper|private|hash|apikey|value).*");

    private SecretRedactor() {
    }

    static JsonNode redact(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().forEach(field -> {
                if (SECRET_NAME.matcher(field.getKey()).matches() && !field.getValue().isNull()) {
                    field.setValue(object.textNode(REDACTED));
                } else {
                    redact(field.getValue());
                }
            });
        } else if (node != null && node.isArray()) {
            node.forEach(SecretRedactor::redact);
        }
        return node;
    }
}
