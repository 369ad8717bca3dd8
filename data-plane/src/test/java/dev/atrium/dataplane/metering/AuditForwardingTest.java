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
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.DataPlaneStack;
import dev.atrium.dataplane.auth.TenantPrincipal;
import dev.atrium.dataplane.storage.TenantDatabase;
import dev.atrium.dataplane.testing.DataPlaneApi.Tenant;
import dev.atrium.tenancy.Scope;

/**
 * Every tenant mutation on the data plane lands once in the tenant's audit chain on the control plane, whether a key
 * or a person did it; an event the control plane refuses is parked as a dead letter and holds nothing back.
 */
@DataPlaneStack
class AuditForwardingTest {

    @Inject
    OutboxShipper shipper;

    @Inject
    TenantDatabase database;

    @Inject
    AuditOutbox audit;

    @Inject
    UsageOutbox usage;

    private void shipAll() throws Exception {
        shipAll(OutboxShipper.Stream.AUDIT);
    }

    private void shipAll(OutboxShipper.Stream stream) throws Exception {
        while (shipper.shipBatch(stream, sent -> { }) > 0) {
            // until nothing is left to send
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

    @Test
    void aPersonsKnowledgeBaseCreationThroughTheConsoleReachesTheTenantsChain() throws Exception {
        shipAll();
        Tenant tenant = tenant("audit-person");
        String person = "user:" + UUID.randomUUID();
        // what KnowledgeBaseService writes when the console calls with a person's token
        TenantPrincipal console = new TenantPrincipal(tenant.id(), null, person, "ACTIVE", Set.of(Scope.RAG_INGEST), 0, 0);
        UUID kb = UUID.randomUUID();
        database.inTenant(tenant.id(), connection -> audit.record(connection, console, "knowledge-base.create", "knowledge-base", kb,
                Map.of("name", "handbook")));
        shipAll();

        JsonPath events = controlPlane().queryParam("tenantId", tenant.id().toString()).queryParam("action", "knowledge-base.create")
                .get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath();
        assertThat(events.getList("items")).hasSize(1);
        assertThat(events.getString("items[0].actor.id")).isEqualTo(person);
        assertThat(events.getString("items[0].actor.type")).isEqualTo("user");
        assertThat(events.getString("items[0].resource.id")).isEqualTo(kb.toString());
        controlPlane().queryParam("tenantId", tenant.id().toString()).get("/api/v1/audit/verify").then().statusCode(200)
                .body("valid", equalTo(true));
    }

    @Test
    void anEventTheControlPlaneRefusesIsParkedWithItsReasonAndTheEventsAfterItStillArrive() throws Exception {
        shipAll(OutboxShipper.Stream.AUDIT);
        shipAll(OutboxShipper.Stream.USAGE);
        shipper.reportDeadLetters();
        double auditParked = metric("atrium_outbox_dead_lettered_total", "stream=\"audit\"");
        double usageParked = metric("atrium_outbox_dead_lettered_total", "stream=\"usage\"");

        Tenant tenant = tenant("audit-poison");
        String key = fullKey(tenant);
        TenantPrincipal caller = new TenantPrincipal(tenant.id(), null, "user:" + UUID.randomUUID(), "ACTIVE", Set.of(), 0, 0);
        UUID badAudit = database.inTenant(tenant.id(), connection -> audit.record(connection, caller, "Knowledge Base Created!",
                "knowledge-base", UUID.randomUUID(), Map.of()));
        UUID badUsage = database.inTenant(tenant.id(), connection -> usage.record(connection,
                new Usage(tenant.id(), null, "", null, 0, 0, 0, 0, Map.of())));
        String kb = knowledgeBase(key, "after-the-bad-one");
        UUID goodUsage = database.inTenant(tenant.id(), connection -> usage.record(connection,
                new Usage(tenant.id(), null, "rag.query", null, 3, 0, 0, 0, Map.of())));

        shipAll(OutboxShipper.Stream.AUDIT);
        shipAll(OutboxShipper.Stream.USAGE);

        JsonPath events = controlPlane().queryParam("tenantId", tenant.id().toString()).queryParam("limit", 100)
                .get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath();
        assertThat(events.getString("items.find { it.action == 'knowledge-base.create' }.resource.id"))
                .as("the event after the refused one reached the chain").isEqualTo(kb);
        assertThat(events.getList("items.action")).doesNotContain("Knowledge Base Created!");
        Map<String, Object> audited = outboxRow("audit_outbox", badAudit);
        assertThat(audited.get("shipped_at")).isNull();
        assertThat(audited.get("dead_lettered_at")).isNotNull();
        assertThat(audited.get("dead_letter_status")).isEqualTo(400);
        assertThat((String) audited.get("dead_letter_reason")).contains("action");
        Map<String, Object> metered = outboxRow("usage_outbox", badUsage);
        assertThat(metered.get("dead_letter_status")).isEqualTo(400);
        assertThat((String) metered.get("dead_letter_reason")).contains("operation");
        assertThat(outboxRow("usage_outbox", goodUsage).get("shipped_at")).as("the usage event after it was delivered").isNotNull();

        assertThat(metric("atrium_outbox_dead_lettered_total", "stream=\"audit\"")).isEqualTo(auditParked + 1);
        assertThat(metric("atrium_outbox_dead_lettered_total", "stream=\"usage\"")).isEqualTo(usageParked + 1);
        assertThat(metric("atrium_outbox_dead_letters", "stream=\"audit\"")).isGreaterThanOrEqualTo(1);

        assertThat(shipper.reportDeadLetters()).isEqualTo(2);
        JsonPath deadLetters = controlPlane().queryParam("region", "local-a").queryParam("stream", "audit")
                .get("/api/v1/platform/dead-letters").then().statusCode(200).extract().jsonPath();
        assertThat(deadLetters.getString("items.find { it.eventId == '" + badAudit + "' }.reason")).contains("action");
        assertThat(deadLetters.getInt("items.find { it.eventId == '" + badAudit + "' }.status")).isEqualTo(400);
        assertThat(deadLetters.getString("items.find { it.eventId == '" + badAudit + "' }.tenantId")).isEqualTo(tenant.id().toString());
        assertThat(shipper.reportDeadLetters()).as("reported once").isZero();
        controlPlane().queryParam("tenantId", tenant.id().toString()).get("/api/v1/audit/verify").then().statusCode(200)
                .body("valid", equalTo(true));
    }

    private Map<String, Object> outboxRow(String table, UUID id) {
        return database.asPlatform(connection -> {
            try (java.sql.PreparedStatement query = connection.prepareStatement("SELECT shipped_at, dead_lettered_at, dead_letter_status, "
                    + "dead_letter_reason FROM " + table + " WHERE id = ?")) {
                query.setObject(1, id);
                try (java.sql.ResultSet row = query.executeQuery()) {
                    assertThat(row.next()).as("outbox row %s", id).isTrue();
                    Map<String, Object> values = new java.util.HashMap<>();
                    values.put("shipped_at", row.getTimestamp(1));
                    values.put("dead_lettered_at", row.getTimestamp(2));
                    values.put("dead_letter_status", row.getObject(3));
                    values.put("dead_letter_reason", row.getString(4));
                    return values;
                }
            }
        });
    }

    /** A series from the Prometheus endpoint, summed over the label sets that include {@code label}. */
    private static double metric(String name, String label) {
        String metrics = io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        double sum = 0;
        java.util.regex.Matcher line = java.util.regex.Pattern.compile("(?m)^" + name + "\\{([^}]*)} ([0-9.eE+-]+)$").matcher(metrics);
        while (line.find()) {
            if (line.group(1).contains(label)) {
                sum += Double.parseDouble(line.group(2));
            }
        }
        return sum;
    }
}
