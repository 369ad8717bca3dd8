package dev.atrium.controlplane.cost;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static dev.atrium.controlplane.testing.Api.serviceKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;

/**
 * Budgets against the usage ledger: each counts only its own scope and period, is used up at exactly its limit
 * ({@code >=}), starts again with the next period, and raises each alert once per period. LiteLLM's reported budget
 * bugs are the checklist: a key's budget ignored or fed by other keys' spend, {@code >} instead of {@code >=},
 * budgets that never reset.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class BudgetTest {

    private static Map<String, Object> event(TestTenant tenant, String apiKeyId, String model, Instant at, long inputTokens) {
        Map<String, Object> event = new HashMap<>();
        event.put("id", UUID.randomUUID().toString());
        event.put("tenantId", tenant.id().toString());
        if (apiKeyId != null) {
            event.put("apiKeyId", apiKeyId);
        }
        event.put("operation", "chat.completions");
        event.put("model", model);
        event.put("occurredAt", at.toString());
        event.put("requests", 1);
        event.put("inputTokens", inputTokens);
        return event;
    }

    private static void record(List<Map<String, Object>> events) {
        as(serviceKey("test-eu-1", null)).body(Map.of("events", events)).post("/internal/v1/usage").then().statusCode(200)
                .body("accepted", equalTo(events.size()));
    }

    private static Map<String, Object> budget(String name, String period, String limitKind, Object limit) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("period", period);
        body.put("limitKind", limitKind);
        body.put("limit", limit);
        return body;
    }

    private static String keyId(TestTenant tenant) {
        return asPlatformAdmin().body(Map.of("name", "budgeted", "scopes", List.of("rag:query")))
                .post(tenant.path() + "/api-keys").then().statusCode(201).extract().path("id");
    }

    @Test
    void aKeysBudgetCountsThatKeyOnlyIsUsedUpAtExactlyItsLimitAndStartsAgainNextPeriod() {
        TestTenant tenant = activeTenant("budget-key");
        String admin = apiKey(tenant, "admin");
        String mine = keyId(tenant);
        String other = keyId(tenant);
        Instant now = Instant.now();
        Instant lastMonth = now.atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(3600);
        Map<String, Object> body = budget("key-monthly", "monthly", "tokens", 1000);
        body.put("apiKeyId", mine);
        String budget = as(admin).body(body).post(tenant.path() + "/budgets").then().statusCode(201)
                .body("status.spent", equalTo(0)).body("status.exhausted", equalTo(false)).extract().path("budget.id");
        Map<String, Object> tenantWide = budget("tenant-monthly", "monthly", "tokens", 100_000);
        as(admin).body(tenantWide).post(tenant.path() + "/budgets").then().statusCode(201);

        record(List.of(event(tenant, mine, "llama", now.minusSeconds(5), 600),
                event(tenant, other, "llama", now.minusSeconds(5), 5000),       // another key's spend: not this budget's
                event(tenant, mine, "llama", lastMonth, 2000)));                // last period's: reset since
        JsonPath status = as(admin).get(tenant.path() + "/budgets/" + budget).then().statusCode(200).extract().jsonPath();
        assertThat(new BigDecimal(status.getString("status.spent"))).isEqualByComparingTo("600");
        assertThat(status.getBoolean("status.exhausted")).isFalse();
        assertThat(status.getDouble("status.percent")).isEqualTo(60.0);
        assertThat(Instant.parse(status.getString("status.periodEnd")))
                .isEqualTo(now.atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant());

        // exactly at the limit: used up (>=, not >)
        record(List.of(event(tenant, mine, "llama@2", now.minusSeconds(4), 400)));
        as(admin).get(tenant.path() + "/budgets/" + budget).then().statusCode(200)
                .body("status.spent", equalTo(1000)).body("status.exhausted", equalTo(true));
        // the tenant's budget counts every key: 600 + 5000 + 400
        JsonPath all = as(admin).get(tenant.path() + "/budgets").then().statusCode(200).extract().jsonPath();
        assertThat(all.getInt("items.find { it.budget.name == 'tenant-monthly' }.status.spent")).isEqualTo(6000);
        // a member reads them, and cannot change them
        String member = apiKey(tenant, "rag:query");
        as(member).get(tenant.path() + "/budgets/" + budget).then().statusCode(200);
        as(member).body(Map.of("limit", 5)).patch(tenant.path() + "/budgets/" + budget).then().statusCode(403);
        as(admin).body(Map.of("limit", 2000)).patch(tenant.path() + "/budgets/" + budget).then().statusCode(200)
                .body("budget.limit", equalTo(2000)).body("status.exhausted", equalTo(false));
    }

    @Test
    void aModelsBudgetCountsItsVersionsAndNoOtherModel() {
        TestTenant tenant = activeTenant("budget-model");
        String admin = apiKey(tenant, "admin");
        Map<String, Object> body = budget("llama-weekly", "weekly", "tokens", 10_000);
        body.put("model", "llama");
        body.put("timeZone", "Europe/Berlin");
        String budget = as(admin).body(body).post(tenant.path() + "/budgets").then().statusCode(201).extract().path("budget.id");
        Instant now = Instant.now().minusSeconds(2);
        record(List.of(event(tenant, null, "llama", now, 100), event(tenant, null, "llama@3", now, 20),
                event(tenant, null, "llama-2", now, 4000), event(tenant, null, "llamas", now, 4000), event(tenant, null, "mistral", now, 4000)));

        as(admin).get(tenant.path() + "/budgets/" + budget).then().statusCode(200).body("status.spent", equalTo(120));
    }

    @Test
    void aMoneyBudgetCountsWhatTheUsageCostAndEachAlertIsRaisedOncePerPeriod() {
        TestTenant tenant = activeTenant("budget-money");
        String admin = apiKey(tenant, "admin");
        // test-eu-1's prices from an hour ago: 10 per 1,000 input tokens (an instant no other test uses)
        Instant effective = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(3600).minusMillis((long) (Math.random() * 1000) + 1);
        asPlatformAdmin().body(Map.of("region", "test-eu-1", "currency", "USD", "effectiveFrom", effective.toString(), "backdated", true,
                        "prices", List.of(Map.of("meter", "input-tokens", "unitPrice", 10))))
                .post("/api/v1/platform/prices").then().statusCode(201);
        Map<String, Object> body = budget("monthly-usd", "monthly", "money", new BigDecimal("2.00"));
        body.put("thresholds", List.of(50, 100));
        body.put("forecastThreshold", 0); // no forecast alert: this test counts the actual ones
        String budget = as(admin).body(body).post(tenant.path() + "/budgets").then().statusCode(201).extract().path("budget.id");

        record(List.of(event(tenant, null, "llama", Instant.now().minusSeconds(2), 120)));   // 1.20
        as(admin).get(tenant.path() + "/budgets/" + budget).then().statusCode(200)
                .body("status.currency", equalTo("USD")).body("status.percent", equalTo(60.0f));
        await().atMost(Duration.ofSeconds(15)).until(() -> alerts(tenant).size() == 1);
        record(List.of(event(tenant, null, "llama", Instant.now().minusSeconds(1), 80)));    // 2.00: at the limit
        await().atMost(Duration.ofSeconds(15)).until(() -> alerts(tenant).size() == 2);
        // the watcher runs every second: no alert is raised twice in the period
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> alerts(tenant).size() == 2);
        List<Map<String, Object>> raised = alerts(tenant);
        assertThat(raised).extracting(a -> (Object) ((Map<?, ?>) a.get("after")).get("threshold")).containsExactlyInAnyOrder(50, 100);
        assertThat(raised).allSatisfy(a -> assertThat(((Map<?, ?>) a.get("actor")).get("id")).isEqualTo("system:budget-watcher"));
        // a raised limit can be reached again in the same period: at 4.00, the 2.00 spent is its 50 %
        as(admin).body(Map.of("limit", 4)).patch(tenant.path() + "/budgets/" + budget).then().statusCode(200)
                .body("status.exhausted", equalTo(false));
        await().atMost(Duration.ofSeconds(15)).until(() -> alerts(tenant).size() == 3);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> alerts(tenant).size() == 3);
    }

    @Test
    void aForecastAboveTheLimitIsRaisedBeforeTheSpendGetsThere() {
        TestTenant tenant = activeTenant("budget-forecast");
        String admin = apiKey(tenant, "admin");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        // 1,000 tokens on each of the last 14 days: about 1,000 a day ahead
        List<Map<String, Object>> history = new java.util.ArrayList<>();
        for (int back = 1; back <= 14; back++) {
            history.add(event(tenant, null, "llama", today.minusDays(back).atTime(12, 0).toInstant(ZoneOffset.UTC), 1000));
        }
        record(history);
        Map<String, Object> body = budget("thirty-days", "custom", "tokens", 10_000);
        body.put("customStart", today.toString());
        body.put("customDays", 30);
        body.put("thresholds", List.of(90));
        String budget = as(admin).body(body).post(tenant.path() + "/budgets").then().statusCode(201).extract().path("budget.id");

        JsonPath status = as(admin).get(tenant.path() + "/budgets/" + budget).then().statusCode(200).extract().jsonPath();
        assertThat(status.getInt("status.spent")).isZero();
        // at least 29 days left at about 1,000 a day (the exponentially weighted average of equal days is that day)
        assertThat(status.getDouble("status.forecast")).isBetween(29_000.0, 30_000.0);
        await().atMost(Duration.ofSeconds(15)).until(() -> alerts(tenant).stream()
                .anyMatch(a -> "forecast".equals(((Map<?, ?>) a.get("after")).get("kind"))));
        assertThat(alerts(tenant)).noneMatch(a -> "actual".equals(((Map<?, ?>) a.get("after")).get("kind")));
    }

    @Test
    void badBudgetsAreRefusedAndNothingIsStored() {
        TestTenant tenant = activeTenant("budget-bad");
        TestTenant other = activeTenant("budget-other");
        String admin = apiKey(tenant, "admin");
        String othersKey = keyId(other);
        Map<String, Object> withOthersKey = budget("b1", "daily", "tokens", 10);
        withOthersKey.put("apiKeyId", othersKey);
        Map<String, Object> badZone = budget("b2", "daily", "tokens", 10);
        badZone.put("timeZone", "Mars/Olympus_Mons");
        Map<String, Object> customWithoutStart = budget("b3", "custom", "tokens", 10);
        customWithoutStart.put("customDays", 7);
        Map<String, Object> downgradeNowhere = budget("b4", "daily", "tokens", 10);
        downgradeNowhere.put("action", "downgrade");
        Map<String, Object> suspendNoKey = budget("b5", "daily", "tokens", 10);
        suspendNoKey.put("action", "suspend-key");
        Map<String, Object> offsetZone = budget("b10", "daily", "tokens", 10);
        offsetZone.put("timeZone", "+05:00");
        for (Map<String, Object> body : List.of(withOthersKey, badZone, customWithoutStart, downgradeNowhere, suspendNoKey, offsetZone)) {
            as(admin).body(body).post(tenant.path() + "/budgets").then().statusCode(422).contentType("application/problem+json");
        }
        Map<String, Object> highThreshold = budget("b6", "daily", "tokens", 10);
        highThreshold.put("thresholds", List.of(150));
        for (Map<String, Object> body : List.of(budget("b7", "daily", "tokens", 0), budget("b8", "hourly", "tokens", 10),
                budget("b9", "daily", "euros", 10), budget("Bad Name", "daily", "tokens", 10), highThreshold)) {
            as(admin).body(body).post(tenant.path() + "/budgets").then().statusCode(400).contentType("application/problem+json");
        }
        as(admin).get(tenant.path() + "/budgets").then().statusCode(200).body("items", org.hamcrest.Matchers.hasSize(0));

        String id = as(admin).body(budget("daily", "daily", "tokens", 10)).post(tenant.path() + "/budgets").then().statusCode(201)
                .extract().path("budget.id");
        as(admin).body(budget("daily", "daily", "tokens", 20)).post(tenant.path() + "/budgets").then().statusCode(409);
        // a change names the version it changes; a stale one changes nothing
        String etag = as(admin).get(tenant.path() + "/budgets/" + id).then().statusCode(200).extract().header("ETag");
        as(admin).header("If-Match", "\"999\"").body(Map.of("limit", 99)).patch(tenant.path() + "/budgets/" + id).then().statusCode(412);
        as(admin).body(Map.of("action", "downgrade", "downgradeTo", "small-llm")).header("If-Match", etag)
                .patch(tenant.path() + "/budgets/" + id).then().statusCode(200).body("budget.downgradeTo", equalTo("small-llm"));
        // leaving the downgrade action leaves its model behind
        as(admin).body(Map.of("action", "block")).patch(tenant.path() + "/budgets/" + id).then().statusCode(200)
                .body("budget.action", equalTo("block")).body("budget.downgradeTo", equalTo(null)).body("budget.limit", equalTo(10));
        // another tenant's admin reaches none of it
        String otherAdmin = apiKey(other, "admin");
        as(otherAdmin).get(tenant.path() + "/budgets/" + id).then().statusCode(404);
        as(otherAdmin).get(other.path() + "/budgets/" + id).then().statusCode(404);
        as(otherAdmin).delete(other.path() + "/budgets/" + id).then().statusCode(404);
        as(admin).get(tenant.path() + "/budgets/" + id).then().statusCode(200);
        as(admin).delete(tenant.path() + "/budgets/" + id).then().statusCode(204);
        as(admin).get(tenant.path() + "/budgets/" + id).then().statusCode(404);
        as(admin).get(tenant.path() + "/budgets/not-an-id").then().statusCode(404);
    }

    private static List<Map<String, Object>> alerts(TestTenant tenant) {
        return asPlatformAdmin().queryParam("tenantId", tenant.id().toString()).queryParam("action", "budget.alert").queryParam("limit", 50)
                .get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath().getList("items");
    }
}
