package dev.atrium.controlplane.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.provisioning.TenantCondition.Type;

/**
 * The data plane's service key and the database password handed in from Atrium's secret store reach the API server
 * SIMULATION (Fabric8's mock server in CRUD mode; no real cluster runs here) only as Secret data: never in a report, a
 * condition, a toString or a log line (every logger, ours and Fabric8's, captured at ALL), not even when the API
 * server's error message repeats the request body.
 */
class SecretsNeverLeakTest {

    private static final List<String> CANARIES = List.of(Fixtures.SERVICE_KEY, Fixtures.DB_PASSWORD,
            base64(Fixtures.SERVICE_KEY), base64(Fixtures.DB_PASSWORD));

    private final List<String> logs = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder line = new StringBuilder(String.valueOf(record.getMessage()));
            if (record.getParameters() != null) {
                for (Object parameter : record.getParameters()) {
                    line.append(' ').append(parameter);
                }
            }
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(' ').append(trace);
            }
            logs.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level rootLevel;

    @BeforeEach
    void captureLogs() {
        Logger root = Logger.getLogger("");
        rootLevel = root.getLevel();
        root.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
    }

    @AfterEach
    void release() {
        Logger root = Logger.getLogger("");
        root.removeHandler(capture);
        root.setLevel(rootLevel);
    }

    @Test
    void toStringsAreRedacted() {
        TenantNamespaceSpec spec = Fixtures.enterprise();
        KubernetesTarget target = KubernetesTarget.withToken("eu-test-1", "https://k8s.example:6443",
                SecretValue.of(Fixtures.SERVICE_KEY), null, "atrium-");

        for (Object shown : List.of(spec, spec.database(), spec.serviceKey(), target, target.credentials())) {
            assertNoCanary(String.valueOf(shown));
        }
        assertThat(String.valueOf(spec.serviceKey())).isEqualTo("SecretValue[redacted]");
    }

    @Test
    void aWholeLifecycleWithFailuresLeaksNothing() {
        RecordingListener listener = new RecordingListener();
        try (KubernetesApiSimulation simulation = new KubernetesApiSimulation();
                TenantReconciler reconciler = new TenantReconciler(new KubernetesTenantProvisioner(Duration.ofSeconds(5)),
                        listener, new ReconcilerSettings(Duration.ofMillis(300), Duration.ofMillis(100),
                                Duration.ofMillis(400), 2))) {
            simulation.echoSecretsInErrors();
            reconciler.desire(simulation.target(), Fixtures.standard());
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.degraded().size() >= 2);
            TenantCondition invalid = listener.degraded().getFirst();
            assertThat(invalid.reason()).isEqualTo("Invalid");
            assertThat(invalid.message()).contains("Secret is invalid").contains("[redacted]");
            assertThat(listener.reports).isNotEmpty();

            simulation.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.degraded().stream()
                    .anyMatch(c -> c.reason().equals("ApiServerUnreachable")));
            reconciler.forget(Fixtures.STANDARD_TENANT);
            await().atMost(Duration.ofSeconds(5)).until(() -> reconciler.condition(Fixtures.STANDARD_TENANT,
                    Fixtures.REGION).map(c -> c.type() == Type.DEGRADED && c.failedAttempts() >= 2).orElse(false));
        }

        assertThat(logs).as("something was logged").isNotEmpty();
        logs.forEach(SecretsNeverLeakTest::assertNoCanary);
        listener.reports.forEach(report -> assertNoCanary(report.toString()));
        listener.conditions.forEach(condition -> assertNoCanary(condition.toString()));
    }

    private static void assertNoCanary(String text) {
        for (String canary : CANARIES) {
            assertThat(text).doesNotContain(canary);
        }
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
