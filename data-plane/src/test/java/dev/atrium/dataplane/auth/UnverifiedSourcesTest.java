package dev.atrium.dataplane.auth;

import static dev.atrium.dataplane.testing.DataPlaneApi.as;
import static dev.atrium.dataplane.testing.DataPlaneApi.fullKey;
import static dev.atrium.dataplane.testing.DataPlaneApi.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.DataPlaneStack;
import dev.atrium.dataplane.testing.DataPlaneApi.Tenant;
import dev.atrium.tenancy.ApiKeyFormat;

/**
 * An address that keeps presenting credentials nobody can verify gets 429 before the control plane is asked, while
 * credentials already known to be valid keep working from that same address.
 */
@DataPlaneStack
@TestProfile(UnverifiedSourcesTest.SmallBudget.class)
class UnverifiedSourcesTest {

    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("atrium.unverified.requests-per-second", "1", "atrium.unverified.burst", "5");
        }
    }

    @Test
    void junkCredentialsFromOneAddressAreThrottledAndKnownGoodOnesAreNot() {
        Tenant tenant = tenant("unverified");
        String key = fullKey(tenant);
        as(key).get("/v1/knowledge-bases").then().statusCode(200);

        SecureRandom random = new SecureRandom();
        List<io.restassured.response.Response> answers = new ArrayList<>();
        // 40 junk keys against a budget of 5 refilled at 1/s: only a machine taking over 30 s for them would see no 429
        for (int i = 0; i < 40; i++) {
            answers.add(as(ApiKeyFormat.generate(random)).get("/v1/knowledge-bases"));
        }
        List<Integer> statuses = answers.stream().map(io.restassured.response.Response::statusCode).toList();
        assertThat(statuses.subList(0, 3)).containsOnly(401);
        assertThat(statuses).contains(429).containsOnly(401, 429);
        assertThat(answers).filteredOn(answer -> answer.statusCode() == 429)
                .allSatisfy(answer -> assertThat(answer.header("Retry-After")).isEqualTo("1"));

        as(key).get("/v1/knowledge-bases").then().statusCode(200);
    }
}
