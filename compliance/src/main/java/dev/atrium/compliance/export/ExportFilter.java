package dev.atrium.compliance.export;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Which events of a chain a partial export holds; the same rules on the server and in the offline verifier. Every
 * member is optional: {@code actor} is an actor id, {@code action} an action or a prefix ending in {@code *}
 * ({@code apikey.*}), {@code outcome} SUCCESS, FAILURE or DENIED, {@code resource} a resource type or
 * {@code type:id}.
 *
 * <p>A filtered export cannot prove that the chain is unbroken between the events it holds (the events in between
 * are not in the file). What it proves instead: every included event is authentic (its hash matches its content),
 * the events are in chain order, each one matches the filter, and the set is exactly what the server selected (the
 * signed manifest carries a running SHA-256 over the included events' hashes, the <em>selection hash</em>).
 */
public record ExportFilter(String actor, String action, String outcome, String resource) {

    public static final ExportFilter NONE = new ExportFilter(null, null, null, null);

    public boolean isEmpty() {
        return blank(actor) && blank(action) && blank(outcome) && blank(resource);
    }

    /** Whether an event's hashed content (as exported) matches. */
    public boolean matches(JsonNode content) {
        if (!blank(actor) && !actor.equals(content.path("actorId").asText(null))) {
            return false;
        }
        if (!blank(action)) {
            String eventAction = content.path("action").asText("");
            boolean ok = action.endsWith("*") ? eventAction.startsWith(action.substring(0, action.length() - 1)) : action.equals(eventAction);
            if (!ok) {
                return false;
            }
        }
        if (!blank(outcome) && !outcome.equals(content.path("outcome").asText(null))) {
            return false;
        }
        if (!blank(resource)) {
            String type = content.path("resourceType").asText("");
            int colon = resource.indexOf(':');
            if (colon < 0) {
                return resource.equals(type);
            }
            return resource.substring(0, colon).equals(type) && resource.substring(colon + 1).equals(content.path("resourceId").asText(""));
        }
        return true;
    }

    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        putIfPresent(node, "actor", actor);
        putIfPresent(node, "action", action);
        putIfPresent(node, "outcome", outcome);
        putIfPresent(node, "resource", resource);
        return node;
    }

    public static ExportFilter fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NONE;
        }
        return new ExportFilter(node.path("actor").asText(null), node.path("action").asText(null),
                node.path("outcome").asText(null), node.path("resource").asText(null));
    }

    /** The running selection hash: {@code sha256(previous || eventHash)} in hex, starting from the empty string. */
    public static String nextSelectionHash(String previous, String eventHash) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(previous.getBytes(StandardCharsets.US_ASCII));
            sha256.update(eventHash.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putIfPresent(ObjectNode node, String name, String value) {
        if (!blank(value)) {
            node.put(name, value);
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
