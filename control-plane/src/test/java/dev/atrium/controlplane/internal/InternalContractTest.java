package dev.atrium.controlplane.internal;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static dev.atrium.controlplane.testing.Api.serviceKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import dev.atrium.contract.AuditEventBatch;
import dev.atrium.contract.BatchReceipt;
import dev.atrium.contract.DeadLetterReport;
import dev.atrium.contract.Examples;
import dev.atrium.contract.InternalApi;
import dev.atrium.contract.KeyIntrospection;
import dev.atrium.contract.KeyIntrospectionRequest;
import dev.atrium.contract.SecretValue;
import dev.atrium.contract.ServableModel;
import dev.atrium.contract.TokenIntrospectionRequest;
import dev.atrium.contract.UsageBatch;
import dev.atrium.controlplane.model.ModelCards;
import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;
import dev.atrium.controlplane.testing.Users;

/**
 * The control plane's side of the internal API: every request example of the contract module (with this test's
 * tenant, key and ids in it) is accepted by the real endpoint, and every answer reads strictly (an unknown field
 * fails) as the contract's response record with exactly the example's fields. The data plane's side is its
 * {@code InternalContractTest}.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class InternalContractTest {

    private static final ObjectMapper STRICT = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    @Test
    void keyAndTokenIntrospectionAnswerTheContractsVerdict() throws Exception {
        TestTenant tenant = activeTenant("contract-intro");
        String service = serviceKey("test-eu-1", null);
        ObjectNode keyRequest = example(KeyIntrospectionRequest.class);
        keyRequest.put("key", apiKey(tenant, "rag:query", "models:invoke"));

        JsonNode keyVerdict = answer(as(service).body(keyRequest.toString()).post(InternalApi.API_KEY_INTROSPECTION).then()
                .statusCode(200).extract().asString());
        assertThat(STRICT.treeToValue(keyVerdict, KeyIntrospection.class).tenantId()).isEqualTo(tenant.id());
        assertThat(fields(keyVerdict)).isEqualTo(fields(example(KeyIntrospection.class)));

        Users.TestUser member = Users.create("contract-member");
        asPlatformAdmin().body(Map.of("userId", member.id(), "role", "tenant-member")).post(tenant.path() + "/members")
                .then().statusCode(201);
        ObjectNode tokenRequest = example(TokenIntrospectionRequest.class);
        tokenRequest.put("token", member.dataPlaneToken()).put("tenantId", tenant.id().toString());
        JsonNode personVerdict = answer(as(service).body(tokenRequest.toString()).post(InternalApi.TOKEN_INTROSPECTION).then()
                .statusCode(200).extract().asString());
        KeyIntrospection person = STRICT.treeToValue(personVerdict, KeyIntrospection.class);
        assertThat(person.active()).isTrue();
        assertThat(person.actorId()).isEqualTo("user:" + member.id());
        // a person has no key: the verdict is the example's without keyId
        Set<String> withoutKey = fields(example(KeyIntrospection.class));
        withoutKey.remove("keyId");
        assertThat(fields(personVerdict)).isEqualTo(withoutKey);
    }

    @Test
    void servableModelsAndSecretsAnswerTheContractsRecords() throws Exception {
        TestTenant tenant = activeTenant("contract-models");
        String admin = apiKey(tenant, "admin");
        String officer = Users.complianceOfficer(tenant);
        String service = serviceKey("test-eu-1", null);
        String versions = tenant.path() + "/models/contract-llm/versions";
        as(admin).body(Map.of("name", "contract-llm", "type", "llm", "provider", "acme")).post(tenant.path() + "/models")
                .then().statusCode(201);
        as(admin).body(ModelCards.version("1", ModelCards.complete())).post(versions).then().statusCode(201);
        as(admin).post(versions + "/1:submit").then().statusCode(200);
        as(officer).body(Map.of("comment", "reviewed")).post(versions + "/1:approve").then().statusCode(200);

        JsonNode servable = answer(as(service).get(InternalApi.servableModels(tenant.id())).then().statusCode(200).extract().asString());
        List<ServableModel> models = STRICT.convertValue(servable, new TypeReference<>() { });
        assertThat(models).contains(new ServableModel(tenant.id().toString(), "contract-llm", "llm", "1"));
        servable.forEach(model -> assertThat(fields(model)).isEqualTo(fields(example(ServableModel.class))));

        as(admin).body(Map.of("value", "example-not-a-real-token")).put(tenant.path() + "/secrets/crm-api-token").then().statusCode(201);
        JsonNode secret = answer(as(service).get(InternalApi.secret(tenant.id(), "crm-api-token")).then().statusCode(200)
                .header("Cache-Control", "no-store").extract().asString());
        assertThat(STRICT.treeToValue(secret, SecretValue.class).value()).isEqualTo("example-not-a-real-token");
        assertThat(fields(secret)).isEqualTo(fields(example(SecretValue.class)));

        as(admin).body(Map.of("name", "contract-bot", "model", "contract-llm", "version", "1", "kind", "upstream",
                "upstream", Map.of("url", "https://203.0.113.10/v1", "model", "gpt-4o-mini", "apiKeySecret", "crm-api-token")))
                .post(tenant.path() + "/deployments").then().statusCode(201);
        JsonNode deployments = answer(as(service).get(InternalApi.deployments(tenant.id())).then().statusCode(200).extract().asString());
        List<dev.atrium.contract.ServedDeployment> served = STRICT.convertValue(deployments, new TypeReference<>() { });
        assertThat(served).containsExactly(new dev.atrium.contract.ServedDeployment("contract-bot", "contract-llm", "llm", "1",
                "upstream", "https://203.0.113.10/v1", "gpt-4o-mini", "crm-api-token", 1, 60, null, null, false));
        deployments.forEach(d -> assertThat(fields(d)).isEqualTo(fields(example(dev.atrium.contract.ServedDeployment.class))));

        // a rollout: the listing carries it in the example's shape, and a report of the example's shape is answered
        as(admin).body(ModelCards.version("2", ModelCards.complete())).post(versions).then().statusCode(201);
        as(admin).post(versions + "/2:submit").then().statusCode(200);
        as(officer).body(Map.of("comment", "reviewed")).post(versions + "/2:approve").then().statusCode(200);
        String rolloutId = as(admin).body(Map.of("version", "2", "strategy", "canary", "upstream",
                        Map.of("url", "https://203.0.113.20/v1", "model", "gpt-4.1-mini", "apiKeySecret", "crm-api-token")))
                .post(tenant.path() + "/deployments/contract-bot/rollout").then().statusCode(201).extract().path("rollout.id");
        JsonNode withRollout = answer(as(service).get(InternalApi.deployments(tenant.id())).then().statusCode(200).extract().asString());
        dev.atrium.contract.ServedRollout rollout = STRICT.convertValue(withRollout, new TypeReference<List<dev.atrium.contract.ServedDeployment>>() { })
                .getFirst().rollout();
        assertThat(rollout).isEqualTo(new dev.atrium.contract.ServedRollout(UUID.fromString(rolloutId), "canary", 0, "2",
                "https://203.0.113.20/v1", "gpt-4.1-mini", "crm-api-token", 1, 60, 5, null));
        assertThat(fields(withRollout.get(0).get("rollout"))).isEqualTo(fields(example(dev.atrium.contract.ServedDeployment.class).get("rollout")));
        ObjectNode report = example(dev.atrium.contract.RolloutReport.class);
        ((ObjectNode) report.get("samples").get(0)).put("rolloutId", rolloutId).put("deployment", "contract-bot").put("step", 0)
                .put("version", "2");
        JsonNode states = answer(as(service).body(report.toString()).post(InternalApi.rolloutReports(tenant.id())).then().statusCode(200)
                .extract().asString());
        assertThat(STRICT.treeToValue(states, dev.atrium.contract.RolloutStates.class).running())
                .containsExactly(new dev.atrium.contract.RolloutStates.Running("contract-bot", UUID.fromString(rolloutId), 0));
        assertThat(fields(states)).isEqualTo(fields(example(dev.atrium.contract.RolloutStates.class)));
        as(admin).get(tenant.path() + "/deployments/contract-bot/rollout").then().statusCode(200)
                .body("currentStep[0].requests", org.hamcrest.Matchers.equalTo(12));
        // the same report again (its answer was lost on the way back): answered, its samples not counted twice
        as(service).body(report.toString()).post(InternalApi.rolloutReports(tenant.id())).then().statusCode(200);
        as(admin).get(tenant.path() + "/deployments/contract-bot/rollout").then().statusCode(200)
                .body("currentStep[0].requests", org.hamcrest.Matchers.equalTo(12));
        // a report without its id is refused whole
        ObjectNode anonymous = report.deepCopy();
        anonymous.remove("reportId");
        as(service).body(anonymous.toString()).post(InternalApi.rolloutReports(tenant.id())).then().statusCode(400)
                .contentType("application/problem+json");

        // the configured models of a region: the example's report is taken
        as(service).body(example(dev.atrium.contract.ConfiguredModelReport.class).toString()).put(InternalApi.CONFIGURED_MODELS)
                .then().statusCode(204);
    }

    @Test
    void theOutboxBatchesAndADeadLetterReportAreAcceptedAndReceipted() throws Exception {
        TestTenant tenant = activeTenant("contract-batches");
        String service = serviceKey("test-eu-1", null);
        String keyId = as(service).body(Map.of("key", apiKey(tenant, "admin"))).post(InternalApi.API_KEY_INTROSPECTION).path("keyId");

        ObjectNode usage = example(UsageBatch.class);
        ObjectNode usageEvent = (ObjectNode) usage.get("events").get(0);
        usageEvent.put("id", UUID.randomUUID().toString()).put("tenantId", tenant.id().toString()).put("apiKeyId", keyId);
        ObjectNode audit = example(AuditEventBatch.class);
        ObjectNode auditEvent = (ObjectNode) audit.get("events").get(0);
        auditEvent.put("id", UUID.randomUUID().toString()).put("tenantId", tenant.id().toString()).put("actorId", "apikey:" + keyId);
        ObjectNode report = example(DeadLetterReport.class);
        ((ObjectNode) report.get("deadLetters").get(0)).put("eventId", UUID.randomUUID().toString()).put("tenantId", tenant.id().toString());

        // the contract's constraints hold at the endpoint: an element that breaks them refuses the whole batch
        ObjectNode broken = usage.deepCopy();
        ((ObjectNode) broken.get("events").get(0)).remove("operation");
        as(service).body(broken.toString()).post(InternalApi.USAGE).then().statusCode(400)
                .contentType("application/problem+json");
        ObjectNode forged = audit.deepCopy();
        ((ObjectNode) forged.get("events").get(0)).put("actorId", "system:control-plane");
        as(service).body(forged.toString()).post(InternalApi.AUDIT_EVENTS).then().statusCode(400);

        for (Map.Entry<String, ObjectNode> batch : Map.of(InternalApi.USAGE, usage, InternalApi.AUDIT_EVENTS, audit,
                InternalApi.DEAD_LETTERS, report).entrySet()) {
            JsonNode receipt = answer(as(service).body(batch.getValue().toString()).post(batch.getKey()).then()
                    .statusCode(200).extract().asString());
            assertThat(STRICT.treeToValue(receipt, BatchReceipt.class)).as(batch.getKey()).isEqualTo(new BatchReceipt(1, 0));
            assertThat(fields(receipt)).isEqualTo(fields(example(BatchReceipt.class)));
        }
    }

    private static ObjectNode example(Class<? extends Record> message) {
        try {
            return (ObjectNode) STRICT.readTree(Examples.of(message));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode answer(String body) throws Exception {
        return STRICT.readTree(body);
    }

    private static Set<String> fields(JsonNode object) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
