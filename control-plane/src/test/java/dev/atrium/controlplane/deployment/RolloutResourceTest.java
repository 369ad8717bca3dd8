package dev.atrium.controlplane.deployment;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static dev.atrium.controlplane.testing.Api.serviceKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.model.ModelCards;
import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;
import dev.atrium.controlplane.testing.Users;

/**
 * The rollout API and its controller (judging every second here): what starts a rollout and what is refused, what
 * data plane reports count, how a breach rolls back and a canary advances, and that nothing of another tenant is
 * reachable. Data planes are played by this test with a data-plane service key: the reports are the contract's
 * messages, with counts the test chooses. The end-to-end rollout through a real data plane is the data plane's
 * {@code RolloutTest}.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class RolloutResourceTest {

    private static final String BACKEND = "https://203.0.113.10/v1";
    private static final String CANDIDATE_BACKEND = "https://203.0.113.20/v1";

    /** A tenant with versions 1 and 2 of "support-llm" APPROVED, 3 a draft, and deployment "support-bot" serving 1. */
    private static TestTenant tenantWithDeployment(String prefix) {
        TestTenant tenant = activeTenant(prefix);
        String admin = apiKey(tenant, "admin");
        String models = tenant.path() + "/models";
        as(admin).body(Map.of("name", "support-llm", "type", "llm")).post(models).then().statusCode(201);
        for (String version : List.of("1", "2", "3")) {
            as(admin).body(ModelCards.version(version, ModelCards.complete())).post(models + "/support-llm/versions").then().statusCode(201);
        }
        for (String version : List.of("1", "2")) {
            as(admin).post(models + "/support-llm/versions/" + version + ":submit").then().statusCode(200);
            as(Users.complianceOfficer(tenant)).body(Map.of("comment", "reviewed"))
                    .post(models + "/support-llm/versions/" + version + ":approve").then().statusCode(200);
        }
        as(admin).body(Map.of("name", "support-bot", "model", "support-llm", "version", "1", "kind", "upstream",
                "upstream", Map.of("url", BACKEND, "model", "gpt-4o-mini"))).post(tenant.path() + "/deployments").then().statusCode(201);
        return tenant;
    }

    private static Map<String, Object> canary(String version, List<Map<String, Object>> steps, Map<String, Object> slo) {
        Map<String, Object> body = new HashMap<>();
        body.put("version", version);
        body.put("strategy", "canary");
        body.put("upstream", Map.of("url", CANDIDATE_BACKEND, "model", "gpt-4.1-mini"));
        if (steps != null) {
            body.put("steps", steps);
        }
        if (slo != null) {
            body.put("slo", slo);
        }
        return body;
    }

    private static Map<String, Object> step(int weight, int dwellSeconds) {
        return Map.of("weight", weight, "dwellSeconds", dwellSeconds);
    }

    /** A data plane's sample: {@code requests} calls of which {@code errors} failed, all answered within {@code millis}. */
    private static Map<String, Object> sample(String rolloutId, int step, String version, String role, long requests, long errors,
                                              int latencyBucket) {
        List<Long> latency = new ArrayList<>(Collections.nCopies(26, 0L));
        latency.set(latencyBucket, requests);
        return Map.of("deployment", "support-bot", "rolloutId", rolloutId, "step", step, "version", version, "role", role,
                "requests", requests, "errors", errors, "guardrailBlocks", 0, "latencyMs", latency);
    }

    private static JsonPath report(TestTenant tenant, List<Map<String, Object>> samples) {
        return as(serviceKey("test-eu-1", null)).body(Map.of("reportId", java.util.UUID.randomUUID().toString(), "samples", samples))
                .post("/internal/v1/tenants/" + tenant.id() + "/rollout-reports").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aCanaryAdvancesOnHealthyReportsIsPromotedAndTheDeploymentServesTheCandidate() {
        TestTenant tenant = tenantWithDeployment("rollout-canary");
        String admin = apiKey(tenant, "admin");
        String deployment = tenant.path() + "/deployments/support-bot";

        JsonPath started = as(admin).body(canary("2", List.of(step(10, 1), step(100, 1)), Map.of("minRequests", 5)))
                .post(deployment + "/rollout").then().statusCode(201).extract().jsonPath();
        String id = started.getString("rollout.id");
        assertThat(started.getString("rollout.state")).isEqualTo("RUNNING");
        assertThat(started.getString("rollout.stableVersion")).isEqualTo("1");
        assertThat(started.getList("decisions.action")).containsExactly("start");
        // the data planes are told the candidate, its backend and its share
        as(serviceKey("test-eu-1", null)).get("/internal/v1/tenants/" + tenant.id() + "/deployments").then().statusCode(200)
                .body("[0].version", equalTo("1")).body("[0].rollout.id", equalTo(id)).body("[0].rollout.version", equalTo("2"))
                .body("[0].rollout.weight", equalTo(10)).body("[0].rollout.url", equalTo(CANDIDATE_BACKEND))
                .body("[0].rollout.upstreamModel", equalTo("gpt-4.1-mini"));
        // while it runs, its version cannot be changed under it, nor a second rollout started
        as(admin).body(Map.of("version", "2")).patch(deployment).then().statusCode(409);
        as(admin).body(canary("2", null, null)).post(deployment + "/rollout").then().statusCode(409);

        // too few requests: the step outlasts its dwell time and waits for traffic
        JsonPath answer = report(tenant, List.of(sample(id, 0, "2", "candidate", 2, 0, 5), sample(id, 0, "1", "stable", 18, 0, 5)));
        assertThat(answer.getList("running.rolloutId")).containsExactly(id);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                as(admin).get(deployment + "/rollout").then().statusCode(200).extract().path("rollout.step").equals(0));
        as(admin).get(deployment + "/rollout").then().statusCode(200)
                .body("currentStep.find { it.role == 'candidate' }.requests", equalTo(2))
                .body("currentStep.find { it.role == 'stable' }.requests", equalTo(18))
                .body("currentStep.find { it.role == 'stable' }.p95LatencyMs", equalTo(100));

        report(tenant, List.of(sample(id, 0, "2", "candidate", 4, 0, 5)));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                as(admin).get(deployment + "/rollout").then().extract().path("rollout.step").equals(1));
        report(tenant, List.of(sample(id, 1, "2", "candidate", 6, 0, 5)));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "PROMOTED".equals(as(admin).get(deployment + "/rollout").then().extract().path("rollout.state")));

        JsonPath done = as(admin).get(deployment + "/rollout").then().statusCode(200).extract().jsonPath();
        assertThat(done.getList("decisions.action")).containsExactly("start", "advance", "promote");
        assertThat(done.getString("decisions[2].actor")).isEqualTo("system:rollout-controller");
        as(admin).get(deployment).then().statusCode(200).body("version", equalTo("2")).body("upstream.url", equalTo(CANDIDATE_BACKEND));
        as(serviceKey("test-eu-1", null)).get("/internal/v1/tenants/" + tenant.id() + "/deployments").then().statusCode(200)
                .body("[0].version", equalTo("2")).body("[0].rollout", nullValue());
        // a report arriving after the end counts for nothing, and says nothing runs
        assertThat(report(tenant, List.of(sample(id, 1, "2", "candidate", 50, 50, 5))).getList("running")).isEmpty();

        JsonPath trail = asPlatformAdmin().queryParam("tenantId", tenant.id().toString()).queryParam("limit", 100)
                .get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath();
        assertThat(trail.getList("items.action", String.class)).contains("deployment.rollout.start", "deployment.rollout.advance",
                "deployment.rollout.promote");
    }

    @Test
    void aBreachRollsBackWithItsReasonAndTheStableVersionStays() throws Exception {
        TestTenant tenant = tenantWithDeployment("rollout-breach");
        String admin = apiKey(tenant, "admin");
        String deployment = tenant.path() + "/deployments/support-bot";
        String id = as(admin).body(canary("2", List.of(step(50, 3600)), Map.of("minRequests", 10, "maxErrorRate", 0.1,
                "maxP95LatencyMs", 2000))).post(deployment + "/rollout").then().statusCode(201).extract().path("rollout.id");

        // healthy but below the bar, then 4 failures in 12: above 10%
        report(tenant, List.of(sample(id, 0, "2", "candidate", 8, 0, 5), sample(id, 0, "1", "stable", 8, 0, 5)));
        report(tenant, List.of(sample(id, 0, "2", "candidate", 4, 4, 5)));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "ROLLED_BACK".equals(as(admin).get(deployment + "/rollout").then().extract().path("rollout.state")));

        JsonPath status = as(admin).get(deployment + "/rollout").then().statusCode(200).extract().jsonPath();
        assertThat(status.getString("rollout.reason")).startsWith("SLO breached: error rate 33.3%").contains("above the SLO's 10.0%");
        assertThat(status.getList("decisions.action")).containsExactly("start", "rollback");
        assertThat(status.getInt("decisions[1].metrics.find { it.role == 'candidate' }.errors")).isEqualTo(4);
        as(admin).get(deployment).then().statusCode(200).body("version", equalTo("1")).body("upstream.url", equalTo(BACKEND));
        as(serviceKey("test-eu-1", null)).get("/internal/v1/tenants/" + tenant.id() + "/deployments").then().statusCode(200)
                .body("[0].rollout", nullValue());
        JsonPath trail = asPlatformAdmin().queryParam("tenantId", tenant.id().toString()).queryParam("action", "deployment.rollout.rollback")
                .get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath();
        assertThat(trail.getList("items.actor.id", String.class)).containsExactly("system:rollout-controller");
        // the alert: an ERROR line marked ALERT, and the counter an operator's alerting watches
        assertThat(io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString())
                .containsPattern("atrium_rollout_rollbacks_total\\{[^}]*trigger=\"slo\"[^}]*} [1-9]");
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("target", "quarkus-test.log")))
                .contains("ALERT rollout of deployment support-bot (tenant " + tenant.id() + ") to version 2 rolled back automatically");

        // a slow candidate breaches its latency SLO: p95 in the 3 s bucket, above 2 s
        String slow = as(admin).body(canary("2", List.of(step(50, 3600)), Map.of("minRequests", 10, "maxP95LatencyMs", 2000)))
                .post(deployment + "/rollout").then().statusCode(201).extract().path("rollout.id");
        report(tenant, List.of(sample(slow, 0, "2", "candidate", 20, 0, 15)));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "ROLLED_BACK".equals(as(admin).get(deployment + "/rollout").then().extract().path("rollout.state")));
        as(admin).get(deployment + "/rollout").then().body("rollout.reason", org.hamcrest.Matchers.containsString("p95 latency of 3000 ms"));
    }

    @Test
    void aPersonPromotesOrRollsBackAndWithdrawingTheCandidateRollsBack() {
        TestTenant tenant = tenantWithDeployment("rollout-manual");
        String admin = apiKey(tenant, "admin");
        String deployment = tenant.path() + "/deployments/support-bot";
        Map<String, Object> ab = new HashMap<>(canary("2", null, null));
        ab.put("strategy", "ab");
        ab.put("split", 30);
        ab.put("stickyBy", "user");
        as(admin).body(ab).post(deployment + "/rollout").then().statusCode(201).body("rollout.stickyBy", equalTo("user"))
                .body("rollout.steps", hasSize(1)).body("rollout.steps[0].weight", equalTo(30));
        as(apiKey(tenant, "rag:query")).post(deployment + "/rollout:rollback").then().statusCode(403);
        as(admin).body(Map.of("reason", "answers too terse")).post(deployment + "/rollout:rollback").then().statusCode(200)
                .body("rollout.state", equalTo("ROLLED_BACK")).body("rollout.reason", equalTo("answers too terse"));
        as(admin).post(deployment + "/rollout:rollback").then().statusCode(409);

        Map<String, Object> shadow = new HashMap<>(canary("2", null, null));
        shadow.put("strategy", "shadow");
        as(admin).body(shadow).post(deployment + "/rollout").then().statusCode(201).body("rollout.steps[0].weight", equalTo(100));
        as(admin).post(deployment + "/rollout:promote").then().statusCode(200).body("rollout.state", equalTo("PROMOTED"));
        as(admin).get(deployment).then().body("version", equalTo("2"));

        // back to 1 by a rollout the other way; withdrawing its candidate mid-way rolls it back
        as(admin).body(canary("1", List.of(step(50, 3600)), null)).post(deployment + "/rollout").then().statusCode(201);
        as(admin).post(tenant.path() + "/models/support-llm/versions/1:deprecate").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "ROLLED_BACK".equals(as(admin).get(deployment + "/rollout").then().extract().path("rollout.state")));
        as(admin).get(deployment + "/rollout").then().body("rollout.reason", equalTo("version 1 is no longer APPROVED for serving"));
        as(admin).get(deployment).then().body("version", equalTo("2"));
    }

    @Test
    void badRolloutsAreRefusedAndNothingStarts() {
        TestTenant tenant = tenantWithDeployment("rollout-bad");
        String admin = apiKey(tenant, "admin");
        String deployment = tenant.path() + "/deployments/support-bot";
        Map<String, Object> ab = new HashMap<>(canary("2", null, null));
        ab.put("strategy", "ab");
        Map<String, Object> abWithSteps = new HashMap<>(ab);
        abWithSteps.put("split", 20);
        abWithSteps.put("steps", List.of(step(10, 1)));
        Map<String, Object> privateBackend = new HashMap<>(canary("2", null, null));
        privateBackend.put("upstream", Map.of("url", "http://169.254.169.254/latest"));
        Map<String, Object> canaryWithSplit = new HashMap<>(canary("2", null, null));
        canaryWithSplit.put("split", 20);
        // an upstream deployment's candidate needs a backend (a self-hosted one's gets a model server instead)
        Map<String, Object> noUpstream = new HashMap<>(canary("2", null, null));
        noUpstream.remove("upstream");
        List<Map<String, Object>> unprocessable = List.of(
                canary("1", null, null),
                canary("3", null, null),
                canary("9", null, null),
                canary("2", List.of(step(50, 1), step(25, 1)), null),
                ab, abWithSteps, privateBackend, canaryWithSplit, noUpstream);
        for (Map<String, Object> body : unprocessable) {
            as(admin).body(body).post(deployment + "/rollout").then().statusCode(422).contentType("application/problem+json");
        }
        Map<String, Object> badStrategy = new HashMap<>(canary("2", null, null));
        badStrategy.put("strategy", "blue-green");
        List<Map<String, Object>> invalid = List.of(badStrategy,
                canary("2", List.of(step(0, 1)), null),
                canary("2", List.of(step(101, 1)), null),
                canary("2", Collections.nCopies(11, step(10, 1)), null),
                canary("2", null, Map.of("maxErrorRate", 1.5)),
                canary("2", null, Map.of("windowSeconds", 0)));
        for (Map<String, Object> body : invalid) {
            as(admin).body(body).post(deployment + "/rollout").then().statusCode(400).contentType("application/problem+json");
        }
        as(admin).get(deployment + "/rollout").then().statusCode(404).contentType("application/problem+json");
        as(admin).header("If-Match", "\"7\"").body(canary("2", null, null)).post(deployment + "/rollout").then().statusCode(412);
        as(admin).get(deployment + "/rollout").then().statusCode(404);
        as(admin).body(canary("2", null, null)).post(tenant.path() + "/deployments/nothing/rollout").then().statusCode(404);

        // a malformed report is refused whole
        List<Long> shortHistogram = List.of(1L, 2L);
        as(serviceKey("test-eu-1", null)).body(Map.of("reportId", java.util.UUID.randomUUID().toString(), "samples", List.of(Map.of("deployment", "support-bot",
                        "rolloutId", java.util.UUID.randomUUID().toString(), "step", 0, "version", "2", "role", "candidate",
                        "requests", 1, "errors", 0, "guardrailBlocks", 0, "latencyMs", shortHistogram))))
                .post("/internal/v1/tenants/" + tenant.id() + "/rollout-reports").then().statusCode(400);
    }

    @Test
    void anotherTenantReachesNoRolloutAndCannotReportIntoOne() {
        TestTenant tenant = tenantWithDeployment("rollout-owner");
        TestTenant other = activeTenant("rollout-other");
        String admin = apiKey(tenant, "admin");
        String deployment = tenant.path() + "/deployments/support-bot";
        String id = as(admin).body(canary("2", List.of(step(50, 3600)), Map.of("minRequests", 5))).post(deployment + "/rollout")
                .then().statusCode(201).extract().path("rollout.id");

        String otherAdmin = apiKey(other, "admin");
        as(otherAdmin).get(deployment + "/rollout").then().statusCode(404);
        as(otherAdmin).post(deployment + "/rollout:rollback").then().statusCode(404);
        // the other tenant's data plane cannot report for this tenant; a report filed under the other tenant is dropped
        as(serviceKey("test-eu-1", other.id())).body(Map.of("reportId", java.util.UUID.randomUUID().toString(), "samples", List.of(sample(id, 0, "2", "candidate", 50, 50, 5))))
                .post("/internal/v1/tenants/" + tenant.id() + "/rollout-reports").then().statusCode(404);
        assertThat(as(serviceKey("test-eu-1", null)).body(Map.of("reportId", java.util.UUID.randomUUID().toString(), "samples", List.of(sample(id, 0, "2", "candidate", 50, 50, 5))))
                .post("/internal/v1/tenants/" + other.id() + "/rollout-reports").then().statusCode(200).extract().jsonPath()
                .getList("running")).isEmpty();
        as(apiKey(tenant, "admin")).body(Map.of("reportId", java.util.UUID.randomUUID().toString(), "samples", List.of())).post("/internal/v1/tenants/" + tenant.id() + "/rollout-reports")
                .then().statusCode(org.hamcrest.Matchers.either(equalTo(403)).or(equalTo(404)));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() ->
                "RUNNING".equals(as(admin).get(deployment + "/rollout").then().extract().path("rollout.state")));
        as(admin).get(deployment + "/rollout").then().body("currentStep", hasSize(0));

        // deleting the deployment takes its rollouts along
        as(admin).delete(deployment).then().statusCode(204);
        as(admin).get(deployment + "/rollout").then().statusCode(404);
    }

    @Test
    void aLongSplitsOlderSamplesAreMergedWithoutChangingAnySum() throws Exception {
        TestTenant tenant = tenantWithDeployment("rollout-compacted");
        String admin = apiKey(tenant, "admin");
        String deployment = tenant.path() + "/deployments/support-bot";
        Map<String, Object> ab = new HashMap<>(canary("2", null, Map.of("windowSeconds", 30)));
        ab.put("strategy", "ab");
        ab.put("split", 50);
        String id = as(admin).body(ab).post(deployment + "/rollout").then().statusCode(201).extract().path("rollout.id");
        // 15 reports of a long split (both versions in each), then moved an hour back
        for (int i = 0; i < 15; i++) {
            report(tenant, List.of(sample(id, 0, "2", "candidate", 3, 0, 4), sample(id, 0, "1", "stable", 7, 0, 5)));
        }
        try (java.sql.Connection owner = dev.atrium.controlplane.testing.Api.ownerConnection();
             java.sql.Statement statement = owner.createStatement()) {
            statement.executeUpdate("UPDATE rollout_sample SET received_at = received_at - interval '1 hour' WHERE rollout_id = '" + id + "'");
            statement.executeUpdate("UPDATE deployment_rollout SET step_started_at = step_started_at - interval '2 hours', "
                    + "started_at = started_at - interval '2 hours' WHERE id = '" + id + "'");
        }
        // and one fresh report, inside the SLO window: never merged
        report(tenant, List.of(sample(id, 0, "2", "candidate", 1, 0, 4)));

        await().atMost(Duration.ofSeconds(30)).until(() -> samples(id) == 3);
        JsonPath status = as(admin).get(deployment + "/rollout").then().statusCode(200).extract().jsonPath();
        assertThat(status.getInt("currentStep.find { it.role == 'candidate' }.requests")).isEqualTo(46);
        // the merged histograms: every stable call in bucket 5 (up to 100 ms), every candidate call in bucket 4
        assertThat(status.getInt("currentStep.find { it.role == 'stable' }.p95LatencyMs")).isEqualTo(100);
        assertThat(status.getInt("currentStep.find { it.role == 'candidate' }.p95LatencyMs")).isLessThan(100);
        assertThat(status.getInt("currentStep.find { it.role == 'stable' }.requests")).isEqualTo(105);
        assertThat(status.getInt("window.find { it.role == 'candidate' }.requests")).as("the window holds the fresh report only")
                .isEqualTo(1);
        assertThat(status.getString("rollout.state")).isEqualTo("RUNNING");
    }

    private static int samples(String rolloutId) throws java.sql.SQLException {
        try (java.sql.Connection owner = dev.atrium.controlplane.testing.Api.ownerConnection();
             java.sql.PreparedStatement count = owner.prepareStatement("SELECT count(*) FROM rollout_sample WHERE rollout_id = ?::uuid")) {
            count.setString(1, rolloutId);
            try (java.sql.ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
