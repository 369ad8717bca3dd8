package dev.atrium.dataplane.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.atrium.contract.AuditEventBatch;
import dev.atrium.contract.BatchReceipt;
import dev.atrium.contract.DeadLetterReport;
import dev.atrium.contract.Examples;
import dev.atrium.contract.InternalApi;
import dev.atrium.contract.KeyIntrospection;
import dev.atrium.contract.KeyIntrospectionRequest;
import dev.atrium.contract.ServableModel;
import dev.atrium.contract.TokenIntrospectionRequest;
import dev.atrium.contract.UsageBatch;
import dev.atrium.dataplane.testing.ControlPlaneSettings;

/**
 * The data plane's side of the internal API: the real {@link ControlPlaneClient}, against a SIMULATION of the control
 * plane that answers every path with the contract's example and keeps what it was sent. What the client sends must
 * read strictly (no unknown field) as the contract's request record, and what it returns must be the example. The
 * control plane's side is {@code InternalContractTest} in the control plane, against the real endpoints.
 */
class InternalContractTest {

    private static final ObjectMapper STRICT = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false);
    private static final UUID TENANT = UUID.fromString("6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f");

    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> received = new ConcurrentHashMap<>();
    private final List<String> paths = new java.util.concurrent.CopyOnWriteArrayList<>();
    private HttpServer server;
    private ControlPlaneClient client;

    @BeforeEach
    void startSimulation() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/internal/v1/", this::answer);
        server.start();
        answers.put(InternalApi.API_KEY_INTROSPECTION, Examples.of(KeyIntrospection.class));
        answers.put(InternalApi.TOKEN_INTROSPECTION, Examples.of(KeyIntrospection.class));
        answers.put(InternalApi.servableModels(TENANT), "[" + Examples.of(ServableModel.class) + "]");
        answers.put(InternalApi.deployments(TENANT), "[" + Examples.of(dev.atrium.contract.ServedDeployment.class) + "]");
        answers.put(InternalApi.secret(TENANT, "crm-api-token"), Examples.of(dev.atrium.contract.SecretValue.class));
        answers.put(InternalApi.rolloutReports(TENANT), Examples.of(dev.atrium.contract.RolloutStates.class));
        answers.put(InternalApi.deploymentDemand(TENANT, "support-bot"), "");
        answers.put(InternalApi.platformDeploymentKey("support-bot"), Examples.of(dev.atrium.contract.SecretValue.class));
        answers.put(InternalApi.CONFIGURED_MODELS, "");
        answers.put(InternalApi.USAGE, Examples.of(BatchReceipt.class));
        answers.put(InternalApi.AUDIT_EVENTS, Examples.of(BatchReceipt.class));
        answers.put(InternalApi.DEAD_LETTERS, Examples.of(BatchReceipt.class));
        // the application's ObjectMapper (Quarkus) writes dates as ISO text and ignores unknown fields
        ObjectMapper application = new ObjectMapper().registerModule(new JavaTimeModule())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false);
        client = new ControlPlaneClient(ControlPlaneSettings.pointingAt(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), Duration.ofSeconds(5)), application);
    }

    @AfterEach
    void stopSimulation() {
        server.stop(0);
    }

    @Test
    void keyIntrospectionSendsTheRequestRecordAndReadsTheVerdict() throws Exception {
        KeyIntrospection verdict = client.introspect("atr_presented_key");

        assertThat(STRICT.treeToValue(received.get(InternalApi.API_KEY_INTROSPECTION), KeyIntrospectionRequest.class).key())
                .isEqualTo("atr_presented_key");
        assertThat(verdict).isEqualTo(STRICT.readValue(Examples.of(KeyIntrospection.class), KeyIntrospection.class));
        assertThat(verdict.scopes()).containsExactly("rag:query", "models:invoke");
    }

    @Test
    void tokenIntrospectionNamesTheTenant() throws Exception {
        client.introspectToken("eyJ.token", TENANT.toString());

        TokenIntrospectionRequest sent = STRICT.treeToValue(received.get(InternalApi.TOKEN_INTROSPECTION), TokenIntrospectionRequest.class);
        assertThat(sent.token()).isEqualTo("eyJ.token");
        assertThat(sent.tenantId()).isEqualTo(TENANT.toString());
    }

    @Test
    void servableModelsReadAsTheContractsRecords() throws Exception {
        assertThat(client.servableModels(TENANT)).containsExactly(new ServableModel("platform", "llama-3.1-8b-instruct", "llm", "1"));
    }

    @Test
    void deploymentsAndASecretReadAsTheContractsRecords() throws Exception {
        assertThat(client.deployments(TENANT)).containsExactly(STRICT.readValue(Examples.of(dev.atrium.contract.ServedDeployment.class),
                dev.atrium.contract.ServedDeployment.class));
        dev.atrium.contract.SecretValue secret = client.secret(TENANT, "crm-api-token");
        assertThat(secret).isEqualTo(STRICT.readValue(Examples.of(dev.atrium.contract.SecretValue.class), dev.atrium.contract.SecretValue.class));
        assertThat(secret.toString()).doesNotContain(secret.value());
    }

    @Test
    void outboxBatchesAndDeadLetterReportsAreTheContractsBatches() throws Exception {
        UsageBatch usage = STRICT.readValue(Examples.of(UsageBatch.class), UsageBatch.class);
        AuditEventBatch audit = STRICT.readValue(Examples.of(AuditEventBatch.class), AuditEventBatch.class);
        DeadLetterReport report = STRICT.readValue(Examples.of(DeadLetterReport.class), DeadLetterReport.class);

        BatchReceipt receipt = client.ship(InternalApi.USAGE, List.of(STRICT.valueToTree(usage.events().getFirst())));
        client.ship(InternalApi.AUDIT_EVENTS, List.of(STRICT.valueToTree(audit.events().getFirst())));
        client.reportDeadLetters(report);

        assertThat(receipt).isEqualTo(new BatchReceipt(1, 0));
        assertThat(STRICT.treeToValue(received.get(InternalApi.USAGE), UsageBatch.class)).isEqualTo(usage);
        assertThat(STRICT.treeToValue(received.get(InternalApi.AUDIT_EVENTS), AuditEventBatch.class)).isEqualTo(audit);
        assertThat(STRICT.treeToValue(received.get(InternalApi.DEAD_LETTERS), DeadLetterReport.class)).isEqualTo(report);
    }

    @Test
    void aRolloutReportIsTheContractsReportAndItsAnswerTheRunningRollouts() throws Exception {
        dev.atrium.contract.RolloutReport report = STRICT.readValue(Examples.of(dev.atrium.contract.RolloutReport.class),
                dev.atrium.contract.RolloutReport.class);

        dev.atrium.contract.RolloutStates states = client.reportRollouts(TENANT, report);

        assertThat(STRICT.treeToValue(received.get(InternalApi.rolloutReports(TENANT)), dev.atrium.contract.RolloutReport.class))
                .isEqualTo(report);
        assertThat(states.running()).containsExactly(new dev.atrium.contract.RolloutStates.Running("support-bot",
                java.util.UUID.fromString("6f1c2e9a-4b7d-4f3e-9a51-2c8d7e6b5a40"), 1));
    }

    @Test
    void aDemandForASelfHostedDeploymentIsAPostToItsPathAndAnUnknownOneIsRefused() throws Exception {
        client.demand(TENANT, "support-bot");

        assertThat(paths).contains("POST " + InternalApi.deploymentDemand(TENANT, "support-bot"));
        assertThatThrownBy(() -> client.demand(TENANT, "nothing")).isInstanceOfSatisfying(ControlPlaneClient.RefusedException.class,
                refused -> assertThat(refused.status()).isEqualTo(404));
    }

    @Test
    void aPlatformDeploymentsKeyReadsAsASecretValueAndConfiguredModelsAreTheContractsReport() throws Exception {
        dev.atrium.contract.SecretValue key = client.platformDeploymentKey("support-bot");
        dev.atrium.contract.ConfiguredModelReport report = STRICT.readValue(Examples.of(dev.atrium.contract.ConfiguredModelReport.class),
                dev.atrium.contract.ConfiguredModelReport.class);
        client.reportConfiguredModels(report);

        assertThat(key).isEqualTo(STRICT.readValue(Examples.of(dev.atrium.contract.SecretValue.class), dev.atrium.contract.SecretValue.class));
        assertThat(paths).contains("GET " + InternalApi.platformDeploymentKey("support-bot"), "PUT " + InternalApi.CONFIGURED_MODELS);
        assertThat(STRICT.treeToValue(received.get(InternalApi.CONFIGURED_MODELS), dev.atrium.contract.ConfiguredModelReport.class))
                .isEqualTo(report);
    }

    @Test
    void anAnswerThatIsNotTheContractsRecordIsTreatedAsAnOutageNotAsAVerdict() {
        answers.put(InternalApi.API_KEY_INTROSPECTION, "[\"not\", \"a\", \"verdict\"]");

        assertThatThrownBy(() -> client.introspect("atr_presented_key"))
                .isInstanceOf(ControlPlaneClient.UnreachableException.class)
                .hasMessageContaining("KeyIntrospection");
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        paths.add(exchange.getRequestMethod() + " " + path);
        byte[] request = exchange.getRequestBody().readAllBytes();
        if (request.length > 0) {
            received.put(path, STRICT.readTree(request));
        }
        String answer = answers.get(path);
        byte[] body = (answer == null ? "{\"status\":404}" : answer).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer == null ? 404 : 200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
