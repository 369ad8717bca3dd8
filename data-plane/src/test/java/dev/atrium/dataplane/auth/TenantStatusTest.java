package dev.atrium.dataplane.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.core.Response;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.auth.ControlPlaneIntrospectionSimulation.Script;
import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.common.ErrorMapper;
import dev.atrium.dataplane.common.Problem;
import dev.atrium.tenancy.ApiKeyFormat;

/**
 * Keys and people of a tenant are served only while the tenant is ACTIVE: whatever status the control plane's
 * introspection reports (a SIMULATION of it here, answering over real HTTP), SUSPENDED gets 403 tenant-suspended and
 * every other status (PROVISIONING, DELETING, DELETED, one this data plane does not know, none) 403 tenant-not-active.
 */
class TenantStatusTest {

    private final ControlPlaneIntrospectionSimulation controlPlane;
    private final ApiKeyVerifier verifier;
    private final UUID tenantId = UUID.randomUUID();

    TenantStatusTest() throws Exception {
        controlPlane = new ControlPlaneIntrospectionSimulation();
        verifier = new ApiKeyVerifier(controlPlane.client(Duration.ofSeconds(2)), new DataPlaneConfig.KeyCache() {
            public Duration ttl() {
                return Duration.ofSeconds(30);
            }

            public Duration negativeTtl() {
                return Duration.ofSeconds(30);
            }

            public Duration maxStaleness() {
                return Duration.ofMinutes(15);
            }

            public long maxEntries() {
                return 1000;
            }
        }, new MovableClock(), new SimpleMeterRegistry(), null);
    }

    @AfterEach
    void stop() {
        controlPlane.close();
    }

    private void introspectionSays(String tenantStatus) {
        String status = tenantStatus == null ? "" : ",\"tenantStatus\":\"" + tenantStatus + "\"";
        controlPlane.answer(Script.verdict("{\"active\":true,\"keyId\":\"" + UUID.randomUUID() + "\",\"tenantId\":\"" + tenantId
                + "\"" + status + ",\"scopes\":[\"rag:query\",\"rag:ingest\"],\"requestsPerSecond\":10,\"burst\":20}"));
    }

    private ApiException refusedKey() {
        return catchThrowableOfType(ApiException.class, () -> verifier.verify(ApiKeyFormat.generate(new SecureRandom())));
    }

    @Test
    void onlyAnActiveTenantsKeysAreServed() {
        introspectionSays("ACTIVE");
        assertThat(verifier.verify(ApiKeyFormat.generate(new SecureRandom())).tenantId()).isEqualTo(tenantId);

        introspectionSays("SUSPENDED");
        ApiException suspended = refusedKey();
        assertThat(suspended.problem()).isEqualTo(Problem.TENANT_SUSPENDED);
        assertThat(suspended.problem().status()).isEqualTo(403);

        for (String status : new String[] {"PROVISIONING", "DELETING", "DELETED", "ARCHIVED", null}) {
            introspectionSays(status);
            ApiException refused = refusedKey();
            assertThat(refused).as("tenant status %s", status).isNotNull();
            assertThat(refused.problem()).isEqualTo(Problem.TENANT_NOT_ACTIVE);
            assertThat(refused).hasMessageContaining(status == null ? "UNKNOWN" : status).hasMessageContaining("not ACTIVE");
        }
    }

    @Test
    void aPersonOfADeletedTenantIsRefusedToo() {
        introspectionSays("DELETED");
        ApiException refused = catchThrowableOfType(ApiException.class,
                () -> verifier.verifyPerson("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwZXJzb24ifQ.c2lnbmF0dXJl", tenantId.toString()));
        assertThat(refused.problem()).isEqualTo(Problem.TENANT_NOT_ACTIVE);
    }

    @Test
    void theRefusalIsAProblemOnTheAtriumApiAndAnOpenAiErrorOnTheOpenAiPaths() {
        introspectionSays("DELETING");
        ApiException refused = refusedKey();
        Response problem = ErrorMapper.render(refused, "/v1/knowledge-bases");
        assertThat(problem.getStatus()).isEqualTo(403);
        assertThat(problem.getMediaType().toString()).isEqualTo("application/problem+json");
        assertThat(((Map<?, ?>) problem.getEntity()).get("type")).isEqualTo("https://atrium.dev/problems/tenant-not-active");
        Response openAi = ErrorMapper.render(refused, "/v1/chat/completions");
        assertThat(openAi.getStatus()).isEqualTo(403);
        assertThat(((Map<?, ?>) ((Map<?, ?>) openAi.getEntity()).get("error")).get("code")).isEqualTo("tenant-not-active");
    }
}
