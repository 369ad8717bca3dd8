package dev.atrium.controlplane.auth;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;

@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class RateLimitTest {

    @Test
    void freePlanKeysAreThrottledWith429AndRetryAfter() {
        TestTenant tenant = activeTenant("throttle", "free");
        String key = apiKey(tenant, "admin");
        List<Response> responses = new ArrayList<>();
        // the free plan allows 5 requests/s with a burst of 10: 40 back-to-back requests must overflow it
        for (int i = 0; i < 40; i++) {
            responses.add(as(key).get(tenant.path()));
        }
        List<Response> limited = responses.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(limited).isNotEmpty();
        assertThat(responses.stream().filter(r -> r.statusCode() == 200).count()).isBetween(10L, 30L);
        Response first = limited.getFirst();
        assertThat(first.contentType()).startsWith("application/problem+json");
        assertThat(first.header("Retry-After")).matches("[1-9][0-9]*");
        assertThat(first.jsonPath().getString("type")).isEqualTo("https://atrium.dev/problems/rate-limited");
    }
}
