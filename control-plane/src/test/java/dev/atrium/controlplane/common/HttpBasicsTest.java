package dev.atrium.controlplane.common;

import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.testing.Api;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;

@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class HttpBasicsTest {

    @Test
    void healthChecksIncludeTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheusMetricsAreServed() {
        asPlatformAdmin().get("/api/v1/tenants").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count"))
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void openApiDocumentDescribesTheApi() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths", hasKey("/api/v1/tenants"))
                .body("paths", hasKey("/api/v1/tenants/{tenantId}:suspend"))
                .body("paths", hasKey("/api/v1/tenants/{tenantId}/api-keys"))
                .body("paths", hasKey("/api/v1/audit/verify"))
                .body("info.title", equalTo("Atrium control-plane API"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void unknownPathsAndMethodsAreProblems() {
        asPlatformAdmin().get("/api/v1/nothing-here").then().statusCode(404).contentType("application/problem+json");
        asPlatformAdmin().put("/api/v1/tenants").then().statusCode(405).contentType("application/problem+json");
    }

    @Test
    void aBodyOverTheLimitIsA413ProblemBeforeItIsReadAndCreatesNothing() throws Exception {
        String slug = "too-large-" + System.nanoTime();
        long declared = 5L << 20;
        String answer;
        // the headers alone: the server must answer from Content-Length, without waiting for the 5 MB it announced
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/tenants HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + Api.platformKey()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + declared + "\r\n\r\n{\"slug\":\"" + slug + "\"")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(answer).startsWith("HTTP/1.1 413").contains("application/problem+json")
                .contains("\"status\":413").contains(declared + " bytes").contains("at most 4194304");
        asPlatformAdmin().get("/api/v1/tenants?q=" + slug).then().statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void everyResponseCarriesARequestId() {
        given().header("X-Request-Id", "trace-me-123").get("/q/health/live").then().header("X-Request-Id", "trace-me-123");
        given().header("X-Request-Id", "bad id with spaces\u0000").get("/api/v1/tenants").then().statusCode(401)
                .header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"))
                .body("requestId", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void percentEncodedCustomMethodsRouteLikeTheColonForm() {
        String id = asPlatformAdmin().body(java.util.Map.of("slug", dev.atrium.controlplane.testing.Api.uniqueSlug("enc"),
                "displayName", "Encoded")).post("/api/v1/tenants").path("id");
        asPlatformAdmin().urlEncodingEnabled(false).post("/api/v1/tenants/" + id + "%3Asuspend")
                .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(409)))
                .body("type", not(equalTo("https://atrium.dev/problems/method-not-allowed")));
    }
}
