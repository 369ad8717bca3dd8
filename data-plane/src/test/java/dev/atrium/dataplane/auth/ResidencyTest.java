package dev.atrium.dataplane.auth;

import static dev.atrium.dataplane.testing.DataPlaneApi.as;
import static dev.atrium.dataplane.testing.DataPlaneApi.controlPlane;
import static dev.atrium.dataplane.testing.DataPlaneApi.fullKey;
import static dev.atrium.dataplane.testing.DataPlaneApi.rowsOf;
import static dev.atrium.dataplane.testing.DataPlaneApi.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.DataPlaneStack;
import dev.atrium.dataplane.testing.DataPlaneApi.Tenant;

/**
 * Residency where data lives: this data plane is region local-a (zone eu). A tenant of zone us is placed in the us
 * region, so here every call of its keys is refused with 403 {@code tenant-not-placed-here} naming its data plane,
 * and nothing of it is stored; a tenant of zone eu is served.
 */
@DataPlaneStack
class ResidencyTest {

    @Test
    void aTenantOfAnotherZoneIsRefusedHereAndNothingOfItIsStored() throws Exception {
        Tenant american = tenant("residency-us", "enterprise", "us");
        controlPlane().get(american.path() + "/placement").then().statusCode(200).body("primary.name", equalTo("us-east-test"));
        String key = fullKey(american);

        as(key).body(Map.of("name", "customers")).post("/v1/knowledge-bases").then().statusCode(403)
                .contentType("application/problem+json").body("type", containsString("tenant-not-placed-here"))
                .body("detail", containsString("not served in region local-a"))
                .body("detail", containsString("us-east-test at http://127.0.0.1:9"));
        as(key).get("/v1/knowledge-bases").then().statusCode(403);
        as(key).body(Map.of("model", "chat", "messages", java.util.List.of(Map.of("role", "user", "content", "hello"))))
                .post("/v1/chat/completions").then().statusCode(403).body("error.code", equalTo("tenant-not-placed-here"));

        assertThat(rowsOf(american, "knowledge_base")).isZero();
        assertThat(rowsOf(american, "document")).isZero();
        assertThat(rowsOf(american, "usage_outbox")).isZero();
        assertThat(rowsOf(american, "audit_outbox")).isZero();
    }

    @Test
    void aTenantPlacedHereIsServed() {
        Tenant european = tenant("residency-eu");
        controlPlane().get(european.path() + "/placement").then().statusCode(200).body("primary.name", equalTo("local-a"));
        as(fullKey(european)).body(Map.of("name", "handbook")).post("/v1/knowledge-bases").then().statusCode(201);
    }
}
