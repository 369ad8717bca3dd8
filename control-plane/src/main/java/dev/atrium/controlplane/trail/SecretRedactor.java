package dev.atrium.controlplane.trail;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Replaces the values of fields whose names suggest a secret before state snapshots enter the audit trail, and
 * credentials inside any other string value: the user-info part of URLs ({@code s3://AKIA..:secret@bucket/..}) and
 * values shaped like well-known tokens (Atrium API keys, OpenAI/Anthropic-style {@code sk-} keys, JWTs, AWS access
 * keys, GitHub and Slack tokens, {@code Bearer} credentials). The audit trail is exported to third parties, so it
 * must never carry a credential.
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
    /** {@code scheme://user:password@host}: the user-info of a URL is replaced, the rest kept. */
    private static final Pattern URL_USER_INFO = Pattern.compile("(?<scheme>\\b[A-Za-z][A-Za-z0-9+.-]{0,20}://)[^/@\\s?#]{1,512}@");
    /** Token shapes, each bounded so the scan stays linear. */
    private static final Pattern TOKEN = Pattern.compile(
            "\\batr_[0-9A-Za-z]{46}\\b"                                        // Atrium API key
            + "|\\bsk-[A-Za-z0-9_-]{16,200}"                                  // OpenAI / Anthropic style keys
            + "|\\beyJ[A-Za-z0-9_-]{8,400}+\\.[A-Za-z0-9_-]{8,4096}+\\.[A-Za-z0-9_-]{0,4096}+" // JWT (header at most 400)
            + "|\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"                               // AWS access key id
            + "|\\bgh[pousr]_[A-Za-z0-9]{36,255}\\b"                           // GitHub tokens
            + "|\\bxox[abprs]-[A-Za-z0-9-]{10,200}"                           // Slack tokens
            + "|(?i:\\bbearer\\s+)[A-Za-z0-9._~+/=-]{8,4096}");                 // a bearer credential

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
                } else if (field.getValue().isTextual()) {
                    field.setValue(object.textNode(redactValue(field.getValue().asText())));
                } else {
                    redact(field.getValue());
                }
            });
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, array.textNode(redactValue(array.get(i).asText())));
                } else {
                    redact(array.get(i));
                }
            }
        }
        return node;
    }

    /** A string with the credentials inside it replaced (URL user-info, token-shaped substrings). */
    static String redactValue(String value) {
        String withoutUserInfo = URL_USER_INFO.matcher(value).replaceAll("${scheme}" + REDACTED + "@");
        return TOKEN.matcher(withoutUserInfo).replaceAll(REDACTED);
    }
}
