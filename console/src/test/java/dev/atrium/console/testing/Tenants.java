package dev.atrium.console.testing;

import java.util.UUID;

import dev.atrium.testsupport.ControlPlaneServer;
import dev.atrium.testsupport.Http;

/** Tenants and memberships set up through the control plane's public API, as a platform admin would. */
public final class Tenants {

    private Tenants() {
    }

    public record TestTenant(String id, String slug, String displayName) {
    }

    public static TestTenant create(String prefix) {
        String slug = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        String displayName = Character.toUpperCase(prefix.charAt(0)) + prefix.substring(1) + " " + slug.substring(slug.length() - 6);
        String body = controlPlane().call("POST", "/api/v1/tenants",
                "{\"slug\":\"" + slug + "\",\"displayName\":\"" + displayName + "\"}", 201);
        TestTenant tenant = new TestTenant(Http.jsonString(body, "id"), slug, displayName);
        awaitStatus(tenant, "ACTIVE");
        return tenant;
    }

    public static String idOf(String slug) {
        String page = controlPlane().call("GET", "/api/v1/tenants?q=" + slug, null, 200);
        return Http.jsonString(page, "id");
    }

    /** Tenants are placed asynchronously (PROVISIONING -> ACTIVE). */
    public static void awaitStatus(TestTenant tenant, String status) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!status.equals(Http.jsonString(controlPlane().call("GET", "/api/v1/tenants/" + tenant.id(), null, 200), "status"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("tenant " + tenant.slug() + " did not become " + status);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public static void addMember(TestTenant tenant, Realm.Person person, String role) {
        controlPlane().call("POST", "/api/v1/tenants/" + tenant.id() + "/members",
                "{\"userId\":\"" + person.id() + "\",\"role\":\"" + role + "\"}", 201);
    }

    /** The status code a call with {@code key} gets from the control plane (to prove what the UI did, for real). */
    public static int statusWithKey(String key, String path) {
        try {
            Http.call("GET", controlPlane().url() + path, key, null, 200);
            return 200;
        } catch (IllegalStateException e) {
            String message = e.getMessage();
            int at = message.indexOf(" answered ");
            return Integer.parseInt(message.substring(at + 10, at + 13));
        }
    }

    public static ControlPlaneServer controlPlane() {
        return ConsoleStackTestResource.controlPlane();
    }
}
