package dev.atrium.controlplane.audit;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Replaces the values of fields whose names suggest a secret before state snapshots enter the audit trail.
 * The audit trail is exported to third parties, so it must never carry a credential.
 */
final class SecretRedactor {

    static final String REDACTED = "[REDACTED]";
    /** Last word of a field name (camelCase, snake_case or kebab-case) that marks a secret. */
    private static final Set<String> SECRET_WORDS = Set.of(
            "secret", "password", "passwd", "passphrase", "token", "credential", "credentials", "pepper", "value");
    /** Whole field names (separators removed, lower case) that are secrets although their last word is not. */
    private static final Set<String> SECRET_NAMES = Set.of(
            "apikey", "keyhash", "privatekey", "secretkey", "accesskey", "signingkey", "clientsecret");
    private static final Pattern WORD_BOUNDARY = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|[_\\-]");

    private SecretRedactor() {
    }

    static boolean isSecretName(String name) {
        String[] words = WORD_BOUNDARY.split(name);
        String last = words[words.length - 1].toLowerCase(Locale.ROOT);
        return SECRET_WORDS.contains(last)
                || SECRET_NAMES.contains(name.replaceAll("[_\\-]", "").toLowerCase(Locale.ROOT));
    }

    static JsonNode redact(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().forEach(field -> {
                if (isSecretName(field.getKey()) && !field.getValue().isNull()) {
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
