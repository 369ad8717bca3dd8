package dev.atrium.console.testing;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.atrium.testsupport.Http;
import dev.atrium.testsupport.KeycloakServer;

/** Test set-up in the real Keycloak through its admin REST API: people, the platform-admin role, redirect URIs. */
public final class Realm {

    public static final String PASSWORD = "correct-horse-battery";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Realm() {
    }

    public record Person(String id, String username) {
    }

    public static Person createUser(String prefix) {
        KeycloakServer keycloak = ConsoleStackTestResource.keycloak();
        String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> user = Map.of("username", username, "email", username + "@example.com",
                "firstName", Character.toUpperCase(prefix.charAt(0)) + prefix.substring(1), "lastName", "Tester",
                "enabled", true, "emailVerified", true,
                "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)));
        Http.call("POST", admin("/users"), keycloak.adminToken(), write(user), 201);
        JsonNode found = read(Http.call("GET", admin("/users?exact=true&username=" + username), keycloak.adminToken(), null, 200));
        return new Person(found.get(0).get("id").asText(), username);
    }

    public static Person createPlatformAdmin() {
        return withRealmRole(createUser("operator"), "platform-admin");
    }

    /** A person who reviews platform-wide models (realm role platform-compliance-officer). */
    public static Person createPlatformReviewer() {
        return withRealmRole(createUser("reviewer"), "platform-compliance-officer");
    }

    private static Person withRealmRole(Person person, String roleName) {
        KeycloakServer keycloak = ConsoleStackTestResource.keycloak();
        String role = Http.call("GET", admin("/roles/" + roleName), keycloak.adminToken(), null, 200);
        Http.call("POST", admin("/users/" + person.id() + "/role-mappings/realm"), keycloak.adminToken(), "[" + role + "]", 204);
        return person;
    }

    /** Lets the console under test (on a port chosen at start) complete Keycloak's code flow. */
    public static void allowConsoleRedirects(String consoleBaseUrl) {
        KeycloakServer keycloak = ConsoleStackTestResource.keycloak();
        JsonNode clients = read(Http.call("GET", admin("/clients?clientId=atrium-console"), keycloak.adminToken(), null, 200));
        ObjectNode client = (ObjectNode) clients.get(0);
        ArrayNode redirects = (ArrayNode) client.get("redirectUris");
        for (JsonNode redirect : redirects) {
            if (redirect.asText().equals(consoleBaseUrl + "/*")) {
                return;
            }
        }
        redirects.add(consoleBaseUrl + "/*");
        ObjectNode attributes = (ObjectNode) client.get("attributes");
        attributes.put("post.logout.redirect.uris", attributes.path("post.logout.redirect.uris").asText() + "##" + consoleBaseUrl + "/*");
        Http.call("PUT", admin("/clients/" + client.get("id").asText()), keycloak.adminToken(), write(client), 204);
    }

    private static String admin(String path) {
        return ConsoleStackTestResource.keycloak().url() + "/admin/realms/atrium" + path;
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
