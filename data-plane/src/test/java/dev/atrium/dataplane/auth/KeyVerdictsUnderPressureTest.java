package dev.atrium.dataplane.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.auth.ControlPlaneIntrospectionSimulation.Script;
import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.common.Problem;
import dev.atrium.tenancy.ApiKeyFormat;

/**
 * How cached key verdicts are used when the control plane does not answer, against a SIMULATION of its
 * introspection endpoint over real HTTP (so the data plane's own client tells a 429, a timeout, a 5xx and a refused
 * connection apart) and a hand-moved clock. The rule: past the TTL a valid verdict is used only while the control
 * plane is down (up to max-staleness); while it is up but throttling or too slow, a revoked key must not keep
 * working, so the request gets 503 with Retry-After.
 */
class KeyVerdictsUnderPressureTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final ControlPlaneIntrospectionSimulation controlPlane;
    private final MovableClock clock = new MovableClock();
    private final ApiKeyVerifier verifier;
    private final String key = ApiKeyFormat.generate(new SecureRandom());
    private final UUID tenantId = UUID.randomUUID();
    private final UUID keyId = UUID.randomUUID();

    KeyVerdictsUnderPressureTest() throws Exception {
        controlPlane = new ControlPlaneIntrospectionSimulation();
        verifier = verifier(TIMEOUT);
    }

    private ApiKeyVerifier verifier(Duration timeout) {
        return new ApiKeyVerifier(controlPlane.client(timeout), new DataPlaneConfig.KeyCache() {
            public Duration ttl() {
                return Duration.ofSeconds(30);
            }

            public Duration negativeTtl() {
                return Duration.ofSeconds(10);
            }

            public Duration maxStaleness() {
                return Duration.ofMinutes(15);
            }

            public long maxEntries() {
                return 1000;
            }
        }, clock, new SimpleMeterRegistry(), null);
    }

    @AfterEach
    void stop() {
        controlPlane.close();
    }

    private String valid() {
        return "{\"active\":true,\"keyId\":\"" + keyId + "\",\"tenantId\":\"" + tenantId
                + "\",\"tenantStatus\":\"ACTIVE\",\"scopes\":[\"rag:query\"],\"requestsPerSecond\":10,\"burst\":20}";
    }

    private static final String REVOKED = "{\"active\":false,\"reason\":\"API key revoked\"}";

    private ApiException refusal() {
        return catchThrowableOfType(ApiException.class, () -> verifier.verify(key));
    }

    @Test
    void aRevokedKeyStopsAtItsTtlWhileTheControlPlaneAnswers429AndItsRetryAfterIsHonoured() {
        controlPlane.answer(Script.verdict(valid()));
        assertThat(verifier.verify(key).keyId()).isEqualTo(keyId);

        // the key is revoked now, and the control plane throttles this data plane
        controlPlane.answer(Script.throttled(7));
        clock.advance(Duration.ofSeconds(31));
        ApiException throttled = refusal();
        assertThat(throttled).as("the cached verdict must not outlive its TTL").isNotNull();
        assertThat(throttled.problem()).isEqualTo(Problem.CONTROL_PLANE_UNAVAILABLE);
        assertThat(throttled.problem().status()).isEqualTo(503);
        assertThat(throttled.retryAfterSeconds()).isEqualTo(7);
        int calls = controlPlane.calls();

        clock.advance(Duration.ofSeconds(3));
        assertThat(refusal().retryAfterSeconds()).as("the rest of the control plane's Retry-After").isEqualTo(4);
        assertThat(controlPlane.calls()).as("not asked again before its Retry-After").isEqualTo(calls);

        clock.advance(Duration.ofSeconds(5));
        controlPlane.answer(Script.verdict(REVOKED));
        ApiException revoked = refusal();
        assertThat(revoked.problem()).isEqualTo(Problem.UNAUTHENTICATED);
        assertThat(revoked).hasMessageContaining("revoked");
    }

    @Test
    void aRevokedKeyStopsAtItsTtlWhenTheControlPlaneAnswersTooLate() {
        controlPlane.answer(Script.verdict(valid()));
        verifier.verify(key);
        controlPlane.answer(Script.verdict(REVOKED).slowerBy(TIMEOUT.multipliedBy(5)));
        clock.advance(Duration.ofSeconds(31));
        ApiException slow = refusal();
        assertThat(slow).isNotNull();
        assertThat(slow.problem()).isEqualTo(Problem.CONTROL_PLANE_UNAVAILABLE);
        assertThat(slow.retryAfterSeconds()).isEqualTo(1);
        assertThat(slow).hasMessageContaining("timed out");
    }

    @Test
    void whileTheControlPlaneIsDownKnownKeysKeepWorkingUpToMaxStalenessAndRefusalsStayRefused() {
        controlPlane.answer(Script.verdict(valid()));
        verifier.verify(key);
        String unknown = ApiKeyFormat.generate(new SecureRandom());
        controlPlane.answer(Script.verdict("{\"active\":false,\"reason\":\"unknown API key\"}"));
        assertThat(catchThrowableOfType(ApiException.class, () -> verifier.verify(unknown)).problem()).isEqualTo(Problem.UNAUTHENTICATED);

        controlPlane.answer(Script.serverError());
        clock.advance(Duration.ofSeconds(31));
        assertThat(verifier.verify(key).keyId()).as("a 5xx is an outage: the cached verdict serves").isEqualTo(keyId);
        assertThat(catchThrowableOfType(ApiException.class, () -> verifier.verify(unknown)).problem()).isEqualTo(Problem.UNAUTHENTICATED);

        controlPlane.stop();
        clock.advance(Duration.ofMinutes(10));
        assertThat(verifier.verify(key).keyId()).as("connection refused: still within max-staleness").isEqualTo(keyId);
        clock.advance(Duration.ofMinutes(5));
        ApiException tooOld = refusal();
        assertThat(tooOld.problem()).isEqualTo(Problem.CONTROL_PLANE_UNAVAILABLE);
        assertThat(tooOld.retryAfterSeconds()).isZero();
    }

    @Test
    void concurrentRequestsWithOneKeyMakeOneIntrospectionCall() throws Exception {
        ApiKeyVerifier patient = verifier(Duration.ofSeconds(10));
        controlPlane.answer(Script.verdict(valid()));
        controlPlane.hold();
        ExecutorService requests = Executors.newFixedThreadPool(8);
        try {
            List<Future<TenantPrincipal>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(requests.submit(() -> patient.verify(key)));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> controlPlane.calls() == 1);
            Thread.sleep(200);
            controlPlane.release();
            for (Future<TenantPrincipal> answer : answers) {
                assertThat(answer.get().keyId()).isEqualTo(keyId);
            }
        } finally {
            requests.shutdownNow();
        }
        assertThat(controlPlane.calls()).isEqualTo(1);
    }
}
