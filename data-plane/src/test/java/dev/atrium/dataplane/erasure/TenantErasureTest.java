package dev.atrium.dataplane.erasure;

import static dev.atrium.dataplane.testing.DataPlaneApi.as;
import static dev.atrium.dataplane.testing.DataPlaneApi.controlPlane;
import static dev.atrium.dataplane.testing.DataPlaneApi.fullKey;
import static dev.atrium.dataplane.testing.DataPlaneApi.knowledgeBase;
import static dev.atrium.dataplane.testing.DataPlaneApi.rowsOf;
import static dev.atrium.dataplane.testing.DataPlaneApi.tenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.DataPlaneStack;
import dev.atrium.dataplane.testing.DataPlaneApi.Tenant;

/**
 * Deleting a tenant erases its data in this region (local-a, through the real control plane's erasure command): no
 * row of it in any table and no index directory remain, and the region's receipt is in the tenant's audit chain,
 * which still verifies. Only the control plane's own one-time token opens the erasure endpoint.
 */
@DataPlaneStack
class TenantErasureTest {

    private static final List<String> TABLES = List.of("knowledge_base", "document", "chunk", "ingest_job", "guardrail_policy",
            "usage_outbox", "audit_outbox");

    @BeforeEach
    void regionLocalAIsThisProcess() {
        controlPlane().body(Map.of("endpoint", "http://127.0.0.1:" + RestAssured.port)).patch("/api/v1/platform/regions/local-a")
                .then().statusCode(200);
    }

    @Test
    void deletingATenantErasesEveryRowAndIndexOfItHereAndTheReceiptIsInItsChain() throws Exception {
        Tenant doomed = tenant("erased");
        String key = fullKey(doomed);
        String kb = knowledgeBase(key, "handbook");
        as(key).body(Map.of("title", "Policy", "text", "Employees may work remotely two days a week."))
                .post("/v1/knowledge-bases/" + kb + "/documents").then().statusCode(201);
        as(key).body(Map.of("pii", "redact", "promptInjection", "block")).put("/v1/guardrails").then().statusCode(200);
        as(key).body(Map.of("query", "remote work")).post("/v1/knowledge-bases/" + kb + "/query").then().statusCode(200);
        assertThat(rowsOf(doomed, "chunk")).isPositive();
        assertThat(indexDirectory(doomed)).isDirectory();

        controlPlane().post(doomed.path() + ":suspend").then().statusCode(200);
        controlPlane().delete(doomed.path()).then().statusCode(202);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "DELETED".equals(controlPlane().get(doomed.path()).path("status")));

        for (String table : TABLES) {
            assertThat(rowsOf(doomed, table)).as("rows of the tenant left in %s", table).isZero();
        }
        assertThat(Files.exists(indexDirectory(doomed))).as("the tenant's index directory").isFalse();
        JsonPath receipt = controlPlane().queryParam("tenantId", doomed.id().toString()).queryParam("action", "tenant.erase")
                .get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath();
        assertThat(receipt.getString("items[0].after.region")).isEqualTo("local-a");
        assertThat(receipt.getLong("items[0].after.erased.document")).isEqualTo(1);
        assertThat(receipt.getLong("items[0].after.erased.knowledge_base")).isEqualTo(1);
        assertThat(receipt.getLong("items[0].after.erased.chunk")).isPositive();
        assertThat(receipt.getLong("items[0].after.erased.index_directories")).isEqualTo(1);
        controlPlane().get("/api/v1/audit/verify?tenantId=" + doomed.id()).then().statusCode(200).body("valid", equalTo(true));
    }

    @Test
    void onlyTheControlPlanesOwnTokenOpensTheErasureEndpoint() throws Exception {
        Tenant tenant = tenant("erasure-guarded");
        String key = fullKey(tenant);
        knowledgeBase(key, "kept");
        String path = "/internal/v1/tenants/" + tenant.id() + ":erase";

        given().urlEncodingEnabled(false).post(path).then().log().ifValidationFails().statusCode(401);
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + key).post(path).then().statusCode(403);
        given().urlEncodingEnabled(false).header("Authorization", "Bearer forged-erasure-token").post(path).then().statusCode(403)
                .body("detail", org.hamcrest.Matchers.containsString("did not confirm"));
        String serviceKey = ConfigProvider.getConfig().getValue("atrium.control-plane.service-key", String.class);
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + serviceKey).post(path).then().statusCode(403);

        assertThat(rowsOf(tenant, "knowledge_base")).isEqualTo(1);
    }

    private static Path indexDirectory(Tenant tenant) {
        String dataDir = ConfigProvider.getConfig().getValue("atrium.data-dir", String.class);
        return Path.of(dataDir, "data-plane", "local-a", "index", tenant.id().toString());
    }
}
