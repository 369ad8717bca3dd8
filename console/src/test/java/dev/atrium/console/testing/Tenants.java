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

    /** Metered usage as a data plane ships it (through the internal API, with a data-plane service key). */
    public static void recordUsage(TestTenant tenant, java.time.Instant at, String model, long inputTokens, long outputTokens) {
        String serviceKey = controlPlane().serviceKey();
        Http.call("POST", controlPlane().url() + "/internal/v1/usage", serviceKey, "{\"events\":[{\"id\":\"" + UUID.randomUUID()
                + "\",\"tenantId\":\"" + tenant.id() + "\",\"operation\":\"chat.completion\",\"model\":\"" + model
                + "\",\"occurredAt\":\"" + at + "\",\"requests\":1,\"inputTokens\":" + inputTokens
                + ",\"outputTokens\":" + outputTokens + "}]}", 200);
    }

    /** Version {@code version} of a tenant model, registered, submitted and APPROVED by a compliance officer of the tenant. */
    public static void approveVersion(TestTenant tenant, String name, String version) {
        String versions = "/api/v1/tenants/" + tenant.id() + "/models/" + name + "/versions";
        controlPlane().call("POST", versions, "{\"version\":\"" + version + "\",\"artifactUri\":\"s3://models/" + name
                + "\",\"card\":" + CARD + "}", 201);
        controlPlane().call("POST", versions + "/" + version + ":submit", "", 200);
        Realm.Person officer = Realm.createUser("officer");
        addMember(tenant, officer, "compliance-officer");
        String token = ConsoleStackTestResource.keycloak().token(officer.username(), Realm.PASSWORD);
        Http.call("POST", controlPlane().url() + versions + "/" + version + ":approve", token,
                "{\"comment\":\"reviewed for the console test\"}", 200);
    }

    /**
     * What a data plane would report of a running rollout's current step: {@code requests} calls of {@code version}
     * ({@code role} stable or candidate), {@code errors} of them failed, all answered within 100 ms.
     */
    public static void reportRollout(TestTenant tenant, String deployment, String version, String role, long requests, long errors) {
        String status = controlPlane().call("GET", "/api/v1/tenants/" + tenant.id() + "/deployments/" + deployment + "/rollout", null, 200);
        String rolloutId = status.replaceAll("(?s).*\"rollout\":\\{\"id\":\"([0-9a-f-]+)\".*", "$1");
        String step = status.replaceAll("(?s).*\"state\":\"RUNNING\",\"step\":(\\d+).*", "$1");
        String latency = "0,0,0,0,0," + requests + ",0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0";
        Http.call("POST", controlPlane().url() + "/internal/v1/tenants/" + tenant.id() + "/rollout-reports", controlPlane().serviceKey(),
                "{\"reportId\":\"" + java.util.UUID.randomUUID() + "\",\"samples\":[{\"deployment\":\"" + deployment + "\",\"rolloutId\":\"" + rolloutId + "\",\"step\":" + step
                        + ",\"version\":\"" + version + "\",\"role\":\"" + role + "\",\"requests\":" + requests + ",\"errors\":"
                        + errors + ",\"guardrailBlocks\":0,\"latencyMs\":[" + latency + "]}]}", 200);
    }

    /** An invitation of an e-mail address to the tenant, as its admin would send it. */
    public static void invite(TestTenant tenant, String email, String role) {
        controlPlane().call("POST", "/api/v1/tenants/" + tenant.id() + "/invitations",
                "{\"email\":\"" + email + "\",\"role\":\"" + role + "\"}", 201);
    }

    /** The user ids of the tenant's members (as its JSON listing). */
    public static String members(TestTenant tenant) {
        return controlPlane().call("GET", "/api/v1/tenants/" + tenant.id() + "/members", null, 200);
    }

    /** A tenant model with version "1" and a complete card, submitted for review (what a tenant admin does first). */
    public static void submitModelForReview(TestTenant tenant, String name) {
        String models = "/api/v1/tenants/" + tenant.id() + "/models";
        controlPlane().call("POST", models, "{\"name\":\"" + name + "\",\"type\":\"llm\",\"provider\":\"in-house\"}", 201);
        controlPlane().call("POST", models + "/" + name + "/versions", "{\"version\":\"1\",\"artifactUri\":\"s3://models/" + name
                + "\",\"card\":" + CARD + "}", 201);
        controlPlane().call("POST", models + "/" + name + "/versions/1:submit", "", 200);
    }

    /** Approves version "1" of a tenant model as a compliance officer of the tenant would (a person: keys never review). */
    public static void approveModel(TestTenant tenant, String name) {
        Realm.Person officer = Realm.createUser("officer");
        addMember(tenant, officer, "compliance-officer");
        String token = ConsoleStackTestResource.keycloak().token(officer.username(), Realm.PASSWORD);
        dev.atrium.testsupport.Http.call("POST", controlPlane().url() + "/api/v1/tenants/" + tenant.id() + "/models/" + name
                + "/versions/1:approve", token, "{\"comment\":\"reviewed for the console test\"}", 200);
    }

    /** The tenant's deployments as the control plane lists them (JSON). */
    public static String deployments(TestTenant tenant) {
        return controlPlane().call("GET", "/api/v1/tenants/" + tenant.id() + "/deployments", null, 200);
    }

    /** Stores a tenant secret through the API. */
    public static void putSecret(TestTenant tenant, String name, String value) {
        controlPlane().call("PUT", "/api/v1/tenants/" + tenant.id() + "/secrets/" + name, "{\"value\":\"" + value + "\"}", 201);
    }

    /** A platform-wide model with version "1" submitted (by the platform admin) for a platform compliance officer's review. */
    public static void submitPlatformModelForReview(String name) {
        controlPlane().call("POST", "/api/v1/platform/models", "{\"name\":\"" + name + "\",\"type\":\"embedding\"}", 201);
        controlPlane().call("POST", "/api/v1/platform/models/" + name + "/versions", "{\"version\":\"1\",\"artifactUri\":\"hf://"
                + name + "\",\"card\":" + CARD + "}", 201);
        controlPlane().call("POST", "/api/v1/platform/models/" + name + "/versions/1:submit", "", 200);
    }

    public static String platformModelVersion(String name) {
        return controlPlane().call("GET", "/api/v1/platform/models/" + name + "/versions/1", null, 200);
    }

    public static String modelVersion(TestTenant tenant, String name) {
        return controlPlane().call("GET", "/api/v1/tenants/" + tenant.id() + "/models/" + name + "/versions/1", null, 200);
    }

    static final String CARD = """
            {"details": {"description": "Answers support questions", "owners": [{"name": "Support team", "contact": "support@example.com"}],
                         "license": "Apache-2.0"},
             "intendedUse": {"primaryUses": ["support answers"], "outOfScopeUses": ["legal advice"]},
             "trainingData": {"datasets": [{"name": "support tickets 2025"}]},
             "evaluationResults": [{"metric": "accuracy", "value": 0.91, "dataset": "support-faq", "split": "test"}],
             "limitations": ["English only"],
             "ethicalConsiderations": [{"risk": "wrong answers", "mitigation": "answers cite their sources"}]}""";

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

    /** A region's public data-plane endpoint as the control plane has it registered. */
    public static String regionEndpoint(String region) {
        String json = controlPlane().call("GET", "/api/v1/platform/regions/" + region, null, 200);
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path("endpoint").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The status code a call with {@code key} gets from the control plane (to prove what the UI did, for real). */
    public static int statusWithKey(String key, String path) {
        return Http.status("GET", controlPlane().url() + path, key);
    }

    public static ControlPlaneServer controlPlane() {
        return ConsoleStackTestResource.controlPlane();
    }
}
