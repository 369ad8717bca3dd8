package dev.atrium.controlplane.security;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static dev.atrium.controlplane.testing.Api.platformKey;
import static dev.atrium.controlplane.testing.Api.uniqueSlug;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.ws.rs.core.Response.Status;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;

import dev.atrium.controlplane.model.ModelCards;
import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;
import dev.atrium.controlplane.testing.Users.TestUser;
import dev.atrium.controlplane.testing.Users;

/**
 * Walks every operation of the live OpenAPI document with every principal of
 * {@code docs/security/authorization-matrix.md} and checks the status the matrix promises. Real Keycloak tokens,
 * real API keys, real database; each cell acts on fresh resources of tenant A.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class AuthorizationMatrixTest {

    private static final Path MATRIX = Path.of("..", "docs", "security", "authorization-matrix.md");

    private TestTenant a;
    private final Map<String, String> credentials = new LinkedHashMap<>();
    private String platformReviewer;

    @Test
    void everyOperationAnswersEveryPrincipalAsTheMatrixSays() throws Exception {
        Map<String, Map<String, Integer>> matrix = parseMatrix();
        Set<String> live = liveOperations();
        assertThat(live).as("operations in /q/openapi missing from %s", MATRIX).isSubsetOf(matrix.keySet());
        assertThat(matrix.keySet()).as("operations in %s that the API no longer has", MATRIX).isSubsetOf(live);

        setUpPrincipals();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Map<String, Integer>> row : matrix.entrySet()) {
            refreshTokensWhenOld();
            for (Map.Entry<String, Integer> cell : row.getValue().entrySet()) {
                Call call = prepare(row.getKey(), cell.getKey());
                Response response = send(call, credentials.get(cell.getKey()));
                if (response.statusCode() != cell.getValue()) {
                    failures.add(row.getKey() + " as " + cell.getKey() + ": expected " + cell.getValue() + " but got "
                            + response.statusCode() + " " + response.asString());
                }
                if (response.statusCode() >= 400 && !response.contentType().startsWith("application/problem+json")) {
                    failures.add(row.getKey() + " as " + cell.getKey() + ": error without problem+json");
                }
                restore(row.getKey());
            }
        }
        assertThat(failures).as("cells that disagree with the matrix").isEmpty();
    }

    /** People whose tokens the matrix uses; tokens live five minutes and the walk takes longer. */
    private final Map<String, TestUser> people = new LinkedHashMap<>();
    private Long tokensIssuedAt;

    private void refreshTokensWhenOld() {
        if (tokensIssuedAt == null || System.nanoTime() - tokensIssuedAt > java.util.concurrent.TimeUnit.MINUTES.toNanos(3)) {
            people.forEach((principal, person) -> credentials.put(principal, person.token()));
            platformReviewer = credentials.get("platform-compliance-officer");
            tokensIssuedAt = System.nanoTime();
        }
    }

    private void setUpPrincipals() {
        a = activeTenant("matrix-a");
        TestTenant b = activeTenant("matrix-b");
        TestUser adminA = member(a, "tenant-admin");
        TestUser memberA = member(a, "tenant-member");
        TestUser complianceA = member(a, "compliance-officer");
        TestUser adminB = member(b, "tenant-admin");
        TestUser reviewer = Users.platformComplianceOfficer();
        people.put("tenant-admin A", adminA);
        people.put("tenant-member A", memberA);
        people.put("compliance-officer A", complianceA);
        people.put("tenant-admin B", adminB);
        people.put("platform-compliance-officer", reviewer);
        Response revoked = asPlatformAdmin().body(Map.of("name", "to revoke", "scopes", List.of("admin")))
                .post(a.path() + "/api-keys");
        asPlatformAdmin().delete(a.path() + "/api-keys/" + revoked.path("id")).then().statusCode(204);

        credentials.put("platform-admin", platformKey());
        credentials.put("revoked key", revoked.path("secret"));
        credentials.put("expired token", expiredToken(member(a, "tenant-admin")));
        credentials.put("anonymous", null);
        credentials.put("audit key A", apiKey(a, "audit:read"));
        refreshTokensWhenOld();
    }

    private record Call(String method, String path, Object body, Map<String, Object> query) {
    }

    /** Concrete path, body and query for one cell, with fresh sub-resources so that cells do not interfere. */
    private Call prepare(String operation, String principal) {
        String method = operation.substring(0, operation.indexOf(' '));
        String template = operation.substring(operation.indexOf(' ') + 1);
        Map<String, Object> query = new LinkedHashMap<>();
        Object body = null;
        String tenantId = a.id().toString();
        if (template.endsWith("/tenants/{tenantId}") && method.equals("DELETE") && principal.equals("platform-admin")) {
            TestTenant doomed = activeTenant("matrix-del");
            asPlatformAdmin().post(doomed.path() + ":suspend").then().statusCode(200);
            tenantId = doomed.id().toString();
        }
        if (template.endsWith(":resume") && principal.equals("platform-admin")) {
            asPlatformAdmin().post(a.path() + ":suspend").then().statusCode(200);
        }
        String path = template.replace("{tenantId}", tenantId);
        if (path.startsWith("/api/v1/platform/api-keys/{keyId}")) {
            path = path.replace("{keyId}", asPlatformAdmin().body(Map.of("name", "cell")).post("/api/v1/platform/api-keys")
                    .then().statusCode(201).extract().path("id"));
        }
        if (path.contains("{invitationId}")) {
            path = path.replace("{invitationId}", asPlatformAdmin()
                    .body(Map.of("email", "cell-" + UUID.randomUUID() + "@example.com", "role", "tenant-member"))
                    .post(a.path() + "/invitations").then().statusCode(201).extract().path("id"));
        }
        if (path.contains("/api-keys/{keyId}")) {
            path = path.replace("{keyId}", asPlatformAdmin().body(Map.of("name", "cell", "scopes", List.of("rag:query")))
                    .post(a.path() + "/api-keys").path("id"));
        }
        if (path.contains("/service-keys/{keyId}")) {
            path = path.replace("{keyId}", asPlatformAdmin().body(Map.of("name", "cell", "region", "local-a", "tenantId", a.id().toString()))
                    .post("/api/v1/service-keys").then().statusCode(201).extract().path("id"));
        }
        if (path.contains("/models/{name}")) {
            path = prepareModel(method, path, template);
        }
        if (template.startsWith("/api/v1/platform/deployments")) {
            // the platform's limit of 50 deployments: the cells before go first
            for (String earlier : asPlatformAdmin().get("/api/v1/platform/deployments").then().statusCode(200).extract().jsonPath()
                    .getList("items.name", String.class)) {
                asPlatformAdmin().delete("/api/v1/platform/deployments/" + earlier).then().statusCode(204);
            }
        }
        if (path.contains("/budgets/{budgetId}")) {
            path = path.replace("{budgetId}", asPlatformAdmin().body(Map.of("name", "cell-" + UUID.randomUUID().toString().substring(0, 8),
                    "period", "daily", "limitKind", "tokens", "limit", 1000)).post(a.path() + "/budgets").then().statusCode(201)
                    .extract().path("budget.id"));
        }
        if (path.contains("{priceBookId}")) {
            path = path.replace("{priceBookId}", asPlatformAdmin().body(priceBook()).post("/api/v1/platform/prices").then()
                    .statusCode(201).extract().path("id"));
        }
        if (path.startsWith("/api/v1/platform/deployments/{name}")) {
            String name = "cell-" + UUID.randomUUID().toString().substring(0, 8);
            asPlatformAdmin().body(platformDeployment(name)).post("/api/v1/platform/deployments").then().statusCode(201);
            path = path.replace("{name}", name);
        }
        if (path.contains("/deployments/{name}")) {
            String name = "cell-" + UUID.randomUUID().toString().substring(0, 8);
            // one fresh deployment per cell would pass the tenant's limit of 50: the cells before go first
            for (String earlier : asPlatformAdmin().get(a.path() + "/deployments").then().statusCode(200).extract().jsonPath()
                    .getList("items.name", String.class)) {
                asPlatformAdmin().delete(a.path() + "/deployments/" + earlier).then().statusCode(204);
            }
            asPlatformAdmin().body(deployment(name)).post(a.path() + "/deployments").then().statusCode(201);
            if (template.contains("/rollout") && !(method.equals("POST") && template.endsWith("/rollout"))) {
                asPlatformAdmin().body(rollout()).post(a.path() + "/deployments/" + name + "/rollout").then().statusCode(201);
            }
            path = path.replace("{name}", name);
        }
        if (path.startsWith("/api/v1/platform/regions/{name}")) {
            String region = "cell-" + UUID.randomUUID().toString().substring(0, 8);
            asPlatformAdmin().body(Map.of("name", region, "zone", "eu", "endpoint", "http://127.0.0.1:9", "kind", "static",
                    "schedulable", false)).post("/api/v1/platform/regions").then().statusCode(201);
            path = path.replace("{name}", region);
        }
        if (path.startsWith("/api/v1/platform/secrets/{name}")) {
            String name = "cell-" + UUID.randomUUID().toString().substring(0, 8);
            if (method.equals("DELETE")) {
                asPlatformAdmin().body(Map.of("value", "v")).put("/api/v1/platform/secrets/" + name).then().statusCode(201);
            }
            path = path.replace("{name}", name);
        }
        if (path.contains("{name}")) {
            String name = "cell-" + UUID.randomUUID().toString().substring(0, 8);
            if (!method.equals("PUT") && !path.endsWith(":rotate")) {
                asPlatformAdmin().body(Map.of("value", "v")).put(a.path() + "/secrets/" + name).then().statusCode(201);
            }
            path = path.replace("{name}", name);
        }
        if (path.contains("{userId}")) {
            path = path.replace("{userId}", member(a, "tenant-member").id());
        }
        if (path.contains("{exportId}")) {
            String exportId = given().auth().oauth2(platformReviewer).contentType(ContentType.JSON)
                    .body(Map.of("tenantId", a.id().toString(), "format", "jsonl"))
                    .post("/api/v1/audit/exports").then().statusCode(202).extract().path("id");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> "DONE".equals(
                    given().auth().oauth2(platformReviewer).get("/api/v1/audit/exports/" + exportId).path("status")));
            path = path.replace("{exportId}", exportId);
        }
        if (template.startsWith("/api/v1/audit/") && !template.startsWith("/api/v1/audit/exports")
                || (method + " " + template).equals("GET /api/v1/audit/exports")) {
            query.put("tenantId", a.id().toString());
        }
        switch (method + " " + template) {
            case "POST /api/v1/tenants" -> body = Map.of("slug", uniqueSlug("cell"), "displayName", "Cell");
            case "PATCH /api/v1/tenants/{tenantId}" -> body = Map.of("displayName", "Renamed by matrix");
            case "POST /api/v1/tenants/{tenantId}/api-keys" -> body = Map.of("name", "cell", "scopes", List.of("rag:query"));
            case "POST /api/v1/tenants/{tenantId}/members" -> body = Map.of("userId", Users.create("invitee").id(), "role", "tenant-member");
            case "POST /api/v1/tenants/{tenantId}/invitations" ->
                    body = Map.of("email", "cell-" + UUID.randomUUID() + "@example.com", "role", "tenant-member");
            case "POST /api/v1/platform/api-keys" -> body = Map.of("name", "cell");
            case "POST /api/v1/platform/regions" -> body = Map.of("name", "cell-" + UUID.randomUUID().toString().substring(0, 8),
                    "zone", "eu", "endpoint", "http://127.0.0.1:9", "kind", "static", "schedulable", false);
            case "PATCH /api/v1/platform/regions/{name}" -> body = Map.of("endpoint", "http://127.0.0.1:10");
            case "PUT /api/v1/tenants/{tenantId}/placement" -> body = Map.of("primary", "test-eu-1");
            case "POST /api/v1/tenants/{tenantId}/deployments" -> body = deployment("cell-" + UUID.randomUUID().toString().substring(0, 8));
            case "POST /api/v1/tenants/{tenantId}/deployments/{name}/rollout" -> body = rollout();
            case "POST /api/v1/platform/deployments" -> body = platformDeployment("cell-" + UUID.randomUUID().toString().substring(0, 8));
            case "PATCH /api/v1/platform/deployments/{name}" -> body = Map.of("upstream", Map.of("url", "https://203.0.113.13/v1"));
            case "PUT /internal/v1/configured-models" -> body = Map.of("models", List.of());
            case "POST /api/v1/platform/prices" -> body = priceBook();
            case "POST /api/v1/tenants/{tenantId}/budgets" -> body = Map.of("name", "cell-" + UUID.randomUUID().toString().substring(0, 8),
                    "period", "monthly", "limitKind", "money", "limit", 100);
            case "PATCH /api/v1/tenants/{tenantId}/budgets/{budgetId}" -> body = Map.of("limit", 5);
            case "POST /api/v1/platform/prices:reprice" -> body = Map.of("from", "2100-01-01T00:00:00Z", "to", "2100-01-02T00:00:00Z",
                    "reason", "matrix");
            case "POST /internal/v1/tenants/{tenantId}/rollout-reports" -> body = Map.of("reportId", java.util.UUID.randomUUID().toString(), "samples", List.of());
            case "PATCH /api/v1/tenants/{tenantId}/deployments/{name}" -> body = Map.of("upstream", Map.of("url", "https://203.0.113.11/v1"));
            case "PATCH /api/v1/tenants/{tenantId}/members/{userId}" -> body = Map.of("role", "compliance-officer");
            case "PUT /api/v1/tenants/{tenantId}/secrets/{name}", "PUT /api/v1/platform/secrets/{name}" ->
                    body = Map.of("value", "cell value");
            case "POST /api/v1/service-keys" -> body = Map.of("name", "cell", "region", "local-a", "tenantId", a.id().toString());
            case "POST /api/v1/audit/exports" -> body = Map.of("tenantId", a.id().toString(), "format", "jsonl");
            case "PUT /api/v1/tenants/{tenantId}/audit-retention" -> body = Map.of("retentionDays", 400, "legalHold", false);
            case "POST /internal/v1/api-keys:introspect" -> body = Map.of("key", apiKey(a, "rag:query"));
            case "POST /internal/v1/tokens:introspect" -> body = Map.of("token", "not-a-token", "tenantId", a.id().toString());
            case "POST /api/v1/tenants/{tenantId}/models", "POST /api/v1/platform/models" ->
                    body = Map.of("name", "cell-" + UUID.randomUUID().toString().substring(0, 8), "type", "llm");
            case "PATCH /api/v1/tenants/{tenantId}/models/{name}" -> body = Map.of("description", "changed by the matrix");
            case "POST /api/v1/tenants/{tenantId}/models/{name}/versions", "POST /api/v1/platform/models/{name}/versions" ->
                    body = ModelCards.version("2", ModelCards.complete());
            case "PATCH /api/v1/tenants/{tenantId}/models/{name}/versions/{version}" -> body = Map.of("servingRuntime", "tgi");
            case "POST /api/v1/tenants/{tenantId}/models/{name}/versions/{version}:approve",
                 "POST /api/v1/tenants/{tenantId}/models/{name}/versions/{version}:reject",
                 "POST /api/v1/platform/models/{name}/versions/{version}:approve",
                 "POST /api/v1/platform/models/{name}/versions/{version}:reject" -> body = Map.of("comment", "reviewed by the matrix");
            case "POST /api/v1/tenants/{tenantId}/models/{name}/versions/{version}/evaluations" -> body = Map.of("results",
                    List.of(Map.of("metric", "accuracy", "value", 0.9, "dataset", "matrix", "split", "test")));
            case "POST /internal/v1/audit-events" -> body = Map.of("events", List.of(Map.of("id", UUID.randomUUID().toString(),
                    "tenantId", a.id().toString(), "actorId", "system:data-plane", "action", "document.create",
                    "resourceType", "document", "resourceId", "d1", "occurredAt", "2026-11-26T10:00:00Z")));
            case "POST /internal/v1/erasures:verify" -> body = Map.of("tenantId", a.id().toString(), "token", "matrix", "region", "local-a");
            case "POST /internal/v1/dead-letters" -> body = Map.of("deadLetters", List.of(Map.of("eventId", UUID.randomUUID().toString(),
                    "stream", "audit", "tenantId", a.id().toString(), "status", 400, "reason", "refused by the matrix",
                    "parkedAt", "2026-11-26T10:00:00Z")));
            case "POST /internal/v1/usage" -> body = Map.of("events", List.of(Map.of("id", UUID.randomUUID().toString(),
                    "tenantId", a.id().toString(), "operation", "rag.query", "occurredAt", "2026-11-26T10:00:00Z",
                    "requests", 1)));
            default -> {
            }
        }
        return new Call(method, path, body, query);
    }

    private String deployableModel;
    private String platformModel;

    /** A deployment of tenant A: an APPROVED version of a model of A (made once), served from a documentation address. */
    private Map<String, Object> deployment(String name) {
        if (deployableModel == null) {
            String model = prepareModel("POST", a.path() + "/models/{name}/versions/{version}:deprecate",
                    "/api/v1/tenants/{tenantId}/models/{name}/versions/{version}:deprecate");
            deployableModel = model.substring((a.path() + "/models/").length(), model.indexOf("/versions/"));
            // version 2 APPROVED too, for rollouts from 1 to 2
            String versions = a.path() + "/models/" + deployableModel + "/versions";
            asPlatformAdmin().body(ModelCards.version("2", ModelCards.complete())).post(versions).then().statusCode(201);
            asPlatformAdmin().post(versions + "/2:submit").then().statusCode(200);
            given().header("Authorization", "Bearer " + credentials.get("compliance-officer A")).contentType(ContentType.JSON)
                    .body(Map.of("comment", "approved for the matrix")).post(versions + "/2:approve").then().statusCode(200);
        }
        return Map.of("name", name, "model", deployableModel, "version", "1", "kind", "upstream",
                "upstream", Map.of("url", "https://203.0.113.10/v1"));
    }

    /** A platform deployment of a platform model with an APPROVED version 1 (made once), on a documentation address. */
    /** A price book version far in the future (a unique instant each time): it prices nothing another test records. */
    private static Map<String, Object> priceBook() {
        long minute = java.util.concurrent.ThreadLocalRandom.current().nextLong(0, 50_000_000);
        return Map.of("currency", "USD", "effectiveFrom", java.time.Instant.parse("2100-01-01T00:00:00Z").plusSeconds(minute * 60).toString(),
                "prices", List.of(Map.of("meter", "requests", "unitPrice", 1)));
    }

    private Map<String, Object> platformDeployment(String name) {
        if (platformModel == null) {
            String model = prepareModel("POST", "/api/v1/platform/models/{name}/versions/{version}:deprecate",
                    "/api/v1/platform/models/{name}/versions/{version}:deprecate");
            platformModel = model.substring("/api/v1/platform/models/".length(), model.indexOf("/versions/"));
        }
        return Map.of("name", name, "model", platformModel, "version", "1", "kind", "upstream",
                "upstream", Map.of("url", "https://203.0.113.14/v1"));
    }

    /** A canary from version 1 to 2 of the deployable model, on a documentation address. */
    private static Map<String, Object> rollout() {
        return Map.of("version", "2", "strategy", "canary", "upstream", Map.of("url", "https://203.0.113.12/v1"));
    }

    /**
     * A fresh model (of tenant A, or platform-wide) for the cell, with a version "1" in the state the operation
     * needs: DRAFT to edit or submit, IN_REVIEW to review, APPROVED to deprecate.
     */
    private String prepareModel(String method, String path, String template) {
        boolean platform = template.startsWith("/api/v1/platform/");
        String base = platform ? "/api/v1/platform/models" : a.path() + "/models";
        String name = "cell-" + UUID.randomUUID().toString().substring(0, 8);
        asPlatformAdmin().body(Map.of("name", name, "type", "llm")).post(base).then().statusCode(201);
        if (template.contains("{version}")) {
            asPlatformAdmin().body(ModelCards.version("1", ModelCards.complete()))
                    .post(base + "/" + name + "/versions").then().statusCode(201);
            String version = base + "/" + name + "/versions/1";
            if (template.endsWith(":approve") || template.endsWith(":reject") || template.endsWith(":deprecate")) {
                asPlatformAdmin().post(version + ":submit").then().statusCode(200);
            }
            if (template.endsWith(":deprecate")) {
                String reviewer = platform ? platformReviewer : credentials.get("compliance-officer A");
                given().header("Authorization", "Bearer " + reviewer).contentType(ContentType.JSON)
                        .body(Map.of("comment", "approved for the matrix")).post(version + ":approve").then().statusCode(200);
            }
        }
        return path.replace("{name}", name).replace("{version}", "1");
    }

    /** Puts tenant A back to ACTIVE after a cell that suspended it. */
    private void restore(String operation) {
        if (operation.endsWith(":suspend") && "SUSPENDED".equals(asPlatformAdmin().get(a.path()).path("status"))) {
            asPlatformAdmin().post(a.path() + ":resume").then().statusCode(200);
        }
    }

    private static Response send(Call call, String credential) {
        RequestSpecification request = given().contentType(ContentType.JSON).queryParams(call.query());
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        if (call.body() != null) {
            request.body(call.body());
        }
        return request.request(call.method(), call.path());
    }

    private static TestUser member(TestTenant tenant, String role) {
        TestUser user = Users.create(role.replace("-", ""));
        asPlatformAdmin().body(Map.of("userId", user.id(), "role", role)).post(tenant.path() + "/members")
                .then().statusCode(Status.CREATED.getStatusCode());
        return user;
    }

    /** A real token from a client whose tokens live one second, used after it has expired. */
    private static String expiredToken(TestUser user) {
        String clientId = "atrium-matrix-short-lived";
        var realm = Users.realmAsMasterAdmin();
        if (realm.clients().findByClientId(clientId).isEmpty()) {
            ClientRepresentation client = new ClientRepresentation();
            client.setClientId(clientId);
            client.setPublicClient(true);
            client.setDirectAccessGrantsEnabled(true);
            client.setStandardFlowEnabled(false);
            client.setAttributes(Map.of("access.token.lifespan", "1"));
            ProtocolMapperRepresentation audience = new ProtocolMapperRepresentation();
            audience.setName("atrium-api audience");
            audience.setProtocol("openid-connect");
            audience.setProtocolMapper("oidc-audience-mapper");
            audience.setConfig(Map.of("included.client.audience", "atrium-api", "access.token.claim", "true"));
            client.setProtocolMappers(List.of(audience));
            realm.clients().create(client).close();
        }
        String token = given().formParam("grant_type", "password").formParam("client_id", clientId)
                .formParam("username", user.username()).formParam("password", Users.PASSWORD)
                .post(Users.keycloakUrl() + "/realms/atrium/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
        try {
            Thread.sleep(2500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return token;
    }

    private static Map<String, Map<String, Integer>> parseMatrix() throws Exception {
        List<String> lines = Files.readAllLines(MATRIX);
        List<String> principals = null;
        Map<String, Map<String, Integer>> matrix = new LinkedHashMap<>();
        for (String line : lines) {
            if (!line.startsWith("|")) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (String cell : line.substring(1, line.lastIndexOf('|')).split("\\|")) {
                cells.add(cell.trim());
            }
            if (cells.getFirst().equals("operation")) {
                principals = cells.subList(1, cells.size());
            } else if (principals != null && cells.getFirst().startsWith("`")) {
                Map<String, Integer> expected = new LinkedHashMap<>();
                for (int i = 0; i < principals.size(); i++) {
                    expected.put(principals.get(i), Integer.parseInt(cells.get(i + 1)));
                }
                matrix.put(cells.getFirst().replace("`", ""), expected);
            }
        }
        assertThat(principals).as("matrix header row").isNotNull().hasSize(10);
        return matrix;
    }

    private static Set<String> liveOperations() {
        Map<String, Map<String, Object>> paths = given().accept("application/json").get("/q/openapi")
                .then().statusCode(200).extract().jsonPath().getMap("paths");
        Set<String> operations = new LinkedHashSet<>();
        paths.forEach((path, methods) -> methods.keySet().forEach(method -> {
            if (Set.of("get", "put", "post", "patch", "delete").contains(method)) {
                operations.add(method.toUpperCase() + " " + path);
            }
        }));
        return operations;
    }
}
