package dev.atrium.dataplane.metering;

import static dev.atrium.dataplane.testing.DataPlaneApi.as;
import static dev.atrium.dataplane.testing.DataPlaneApi.controlPlane;
import static dev.atrium.dataplane.testing.DataPlaneApi.fullKey;
import static dev.atrium.dataplane.testing.DataPlaneApi.knowledgeBase;
import static dev.atrium.dataplane.testing.DataPlaneApi.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.DataPlaneStack;
import dev.atrium.dataplane.testing.DataPlaneApi.Tenant;

/** Every tenant mutation on the data plane lands once in the tenant's audit chain on the control plane. */
@DataPlaneStack
class AuditForwardingTest {

    @Inject
    OutboxShipper shipper;

    private void shipAll() throws Exception {
        while (shipper.shipBatch(OutboxShipper.Stream.AUDIT, sent -> { }) > 0) {
            // until the outbox is empty
        }
    }

    @Test
    void knowledgeBaseDocumentAndPolicyChangesAreAuditedOnceWithTheKeyAsActor() throws Exception {
        shipAll();
        Tenant tenant = tenant("audit-fwd");
        String key = fullKey(tenant);
        String kb = knowledgeBase(key, "audited");
        String doc = as(key).body(Map.of("title", "Doc", "text", "Audited text.")).post("/v1/knowledge-bases/" + kb + "/documents")
                .then().statusCode(201).extract().path("id");
        as(key).delete("/v1/knowledge-bases/" + kb + "/documents/" + doc).then().statusCode(204);
        as(key).body(Map.of("pii", "redact", "promptInjection", "block")).put("/v1/guardrails").then().statusCode(200);
        as(key).body(Map.of("name", "")).post("/v1/knowledge-bases").then().statusCode(400);

        assertThatThrownBy(() -> shipper.shipBatch(OutboxShipper.Stream.AUDIT, sent -> {
            throw new IllegalStateException("simulated crash between send and acknowledge");
        })).hasMessageContaining("simulated crash");
        shipAll();

        JsonPath events = controlPlane().queryParam("tenantId", tenant.id().toString()).queryParam("limit", 100)
                .get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath();
        List<String> actions = events.getList("items.action");
        assertThat(actions).contains("knowledge-base.create", "document.create", "document.delete", "guardrail-policy.update");
        assertThat(actions.stream().filter(a -> a.equals("document.create")).count()).isEqualTo(1);
        assertThat(actions.stream().filter(a -> a.startsWith("knowledge-base.")).count()).as("the refused create left no trace").isEqualTo(1);
        String keyId = controlPlane().get(tenant.path() + "/api-keys").path("items[0].id");
        assertThat(events.getString("items.find { it.action == 'document.create' }.actor.id")).isEqualTo("apikey:" + keyId);
        assertThat(events.getString("items.find { it.action == 'document.create' }.resource.id")).isEqualTo(doc);
        controlPlane().queryParam("tenantId", tenant.id().toString()).get("/api/v1/audit/verify").then().statusCode(200)
                .body("valid", equalTo(true));
    }
}
