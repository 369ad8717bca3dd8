package dev.atrium.controlplane.security;

import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.auth.FailedAuthentications;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;
import dev.atrium.tenancy.ApiKeyFormat;

/**
 * A flood of bad credentials from one address: it is answered 429 once the address has spent its budget (before
 * any lookup), and it costs the audit trail one event plus one summary with the count, not one event per request.
 */
@QuarkusTest
@TestProfile(UnauthenticatedTrafficTest.SmallBudget.class)
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class UnauthenticatedTrafficTest {

    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("atrium.rate-limit.unauthenticated.requests-per-second", "1",
                    "atrium.rate-limit.unauthenticated.burst", "8",
                    "atrium.auth.failure-aggregation-flush", "1h");
        }
    }

    @Inject
    FailedAuthentications failures;

    /** Each test starts with this address's budget full again (8 at 1 per second). */
    @org.junit.jupiter.api.BeforeEach
    void budgetRefilled() throws InterruptedException {
        Thread.sleep(9_000);
    }

    @Test
    void aFloodOfUnknownKeysIsThrottledAndAuditedOncePerMinuteWithACount() {
        Instant start = Instant.now();
        List<Integer> statuses = new ArrayList<>();
        SecureRandom random = new SecureRandom();
        // 40 refusals against a budget of 8 refilled at 1/s: only a machine taking over 30 s for them would see no 429
        for (int i = 0; i < 40; i++) {
            statuses.add(as(ApiKeyFormat.generate(random)).get("/api/v1/tenants").statusCode());
        }
        assertThat(statuses.subList(0, 6)).containsOnly(401);
        assertThat(statuses).contains(429).containsOnly(401, 429);
        // the address is over its budget, yet a valid key from it still works: one client cannot lock out its neighbours
        assertThat(as(ApiKeyFormat.generate(random)).get("/api/v1/tenants").statusCode()).isEqualTo(429);
        assertThat(asPlatformAdmin().get("/api/v1/tenants").statusCode()).isEqualTo(200);

        JsonPath events = asPlatformAdmin().queryParam("tenantId", "platform").queryParam("from", start.toString())
                .queryParam("limit", 200).get("/api/v1/audit/events").jsonPath();
        assertThat(events.getList("items.findAll { it.action == 'auth.failed' }")).as("one event for the first failure").hasSize(1);

        assertThat(failures.flush(Instant.now().plusSeconds(1))).as("summaries written (this window and any other open one)").isPositive();
        JsonPath summary = asPlatformAdmin().queryParam("tenantId", "platform").queryParam("action", "auth.failed.repeated")
                .queryParam("from", start.toString()).get("/api/v1/audit/events").jsonPath();
        assertThat(summary.getList("items")).hasSize(1);
        long recorded = statuses.stream().filter(s -> s == 401).count();
        assertThat(summary.getLong("items[0].after.count")).as("the refusals after the first, counted")
                .isBetween(recorded - 1, (long) statuses.size());
        assertThat(summary.getString("items[0].after.source")).isEqualTo("127.0.0.1");
    }

    @Test
    void requestsWithoutCredentialsShareTheBudget() {
        List<io.restassured.response.Response> responses = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            responses.add(given().get("/api/v1/tenants"));
        }
        List<Integer> statuses = responses.stream().map(io.restassured.response.Response::statusCode).toList();
        assertThat(statuses.getFirst()).isEqualTo(401);
        assertThat(statuses).contains(429).containsOnly(401, 429);
        assertThat(responses).filteredOn(r -> r.statusCode() == 429).allSatisfy(r -> {
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.header("Retry-After")).isEqualTo("1");
        });
    }
}
