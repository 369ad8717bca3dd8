package dev.atrium.controlplane.cost;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static dev.atrium.controlplane.testing.Api.ownerConnection;
import static dev.atrium.controlplane.testing.Api.serviceKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * The price book and the cost of usage: every event is priced as it is recorded, with the version in force where and
 * when it happened; repricing a past period is explicit, audited and keeps the old figures. Each test prices its own
 * period (years in the past, an instant no other test uses), so versions of other tests change none of its figures.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class PriceBookTest {

    private static Map<String, Object> price(String meter, String model, String unitPrice) {
        Map<String, Object> price = new HashMap<>();
        price.put("meter", meter);
        if (model != null) {
            price.put("model", model);
        }
        price.put("unitPrice", new BigDecimal(unitPrice));
        return price;
    }

    private static Map<String, Object> book(String region, String effectiveFrom, boolean backdated, List<Map<String, Object>> prices) {
        Map<String, Object> book = new HashMap<>();
        if (region != null) {
            book.put("region", region);
        }
        book.put("currency", "USD");
        book.put("effectiveFrom", effectiveFrom);
        book.put("backdated", backdated);
        book.put("prices", prices);
        return book;
    }

    private static Map<String, Object> event(TestTenant tenant, String model, String at, int requests, long input, long output) {
        Map<String, Object> event = new HashMap<>();
        event.put("id", UUID.randomUUID().toString());
        event.put("tenantId", tenant.id().toString());
        event.put("operation", "chat.completions");
        event.put("model", model);
        event.put("occurredAt", at);
        event.put("requests", requests);
        event.put("inputTokens", input);
        event.put("outputTokens", output);
        return event;
    }

    private static JsonPath report(TestTenant tenant, String from, String to) {
        return as(apiKey(tenant, "rag:query")).queryParam("from", from).queryParam("to", to).get(tenant.path() + "/usage")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void usageIsPricedAsItIsRecordedWithTheVersionInForceWhereAndWhenItHappened() {
        TestTenant tenant = activeTenant("priced");
        // every region from 2021-03-01: a default, a model's own price and one version's own price
        asPlatformAdmin().body(book(null, "2021-03-01T00:00:00Z", true, List.of(
                        price("input-tokens", null, "1.00"), price("output-tokens", null, "2.00"), price("requests", null, "0.10"),
                        price("input-tokens", "llama", "0.50"), price("input-tokens", "llama@2", "0.25"))))
                .post("/api/v1/platform/prices").then().statusCode(201).body("currency", equalTo("USD"));
        // region test-eu-1 from 2021-03-10: its own version replaces the every-region one there
        asPlatformAdmin().body(book("test-eu-1", "2021-03-10T00:00:00Z", true, List.of(price("input-tokens", null, "3.00"))))
                .post("/api/v1/platform/prices").then().statusCode(201);

        String service = serviceKey("test-eu-1", null);
        as(service).body(Map.of("events", List.of(
                event(tenant, "llama@2", "2021-03-05T12:00:00Z", 1, 1000, 500),   // 0.25 + 1.00 + 0.0001
                event(tenant, "mistral", "2021-03-05T13:00:00Z", 1, 2000, 0),     // 2.00 + 0.0001
                event(tenant, "llama", "2021-03-15T12:00:00Z", 0, 1000, 1000),    // 3.00 (no output price in test-eu-1's version)
                event(tenant, "llama", "2021-02-01T12:00:00Z", 1, 1000, 1000),    // before any version: not priced
                event(tenant, "=HYPERLINK(\"x\",\"y\")", "2021-01-15T12:00:00Z", 0, 0, 0))))  // a name a spreadsheet would run
                .post("/internal/v1/usage").then().statusCode(200).body("accepted", equalTo(5));

        JsonPath report = report(tenant, "2021-01-01T00:00:00Z", "2021-04-01T00:00:00Z");
        assertThat(report.getString("currency")).isEqualTo("USD");
        assertThat(new BigDecimal(report.getString("totals.cost"))).isEqualByComparingTo("6.2502");
        assertThat(report.getLong("totals.unpricedEvents")).isEqualTo(2);
        assertThat(new BigDecimal(report.getString("byModel.find { it.key == 'llama@2' }.cost"))).isEqualByComparingTo("1.2501");
        assertThat(new BigDecimal(report.getString("byModel.find { it.key == 'mistral' }.cost"))).isEqualByComparingTo("2.0001");
        assertThat(new BigDecimal(report.getString("byModel.find { it.key == 'llama' }.cost"))).isEqualByComparingTo("3");
        assertThat(new BigDecimal(report.getString("byDay.find { it.key == '2021-03-05' }.cost"))).isEqualByComparingTo("3.2502");

        // the cost ledger as CSV, oldest first, each event with its cost
        String csv = as(apiKey(tenant, "rag:query")).queryParam("from", "2021-01-01T00:00:00Z").queryParam("to", "2021-04-01T00:00:00Z")
                .get(tenant.path() + "/usage/ledger").then().statusCode(200).contentType("text/csv").extract().asString();
        List<String> lines = csv.lines().toList();
        assertThat(lines.getFirst()).startsWith("event_id,occurred_at,region,operation,model,api_key_id,requests,input_tokens,");
        assertThat(lines).hasSize(6);
        assertThat(lines.get(1)).as("a formula is defused and quoted").contains(",\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\",");
        assertThat(lines.get(2)).as("unpriced: no cost, currency or version").contains(",test-eu-1,chat.completions,llama,").endsWith(",,,");
        assertThat(lines.get(3)).contains(",llama@2,").contains(",1.2501,USD,");
        assertThat(lines.get(5)).contains(",3,USD,");
        as(apiKey(tenant, "rag:query")).queryParam("from", "2021-04-01T00:00:00Z").queryParam("to", "2021-01-01T00:00:00Z")
                .get(tenant.path() + "/usage/ledger").then().statusCode(400).contentType("application/problem+json");

        JsonPath books = asPlatformAdmin().get("/api/v1/platform/prices").then().statusCode(200).extract().jsonPath();
        String id = books.getString("items.find { it.effectiveFrom == '2021-03-10T00:00:00Z' }.id");
        asPlatformAdmin().get("/api/v1/platform/prices/" + id).then().statusCode(200).body("region", equalTo("test-eu-1"))
                .body("prices[0].meter", equalTo("input-tokens"));
        asPlatformAdmin().get("/api/v1/platform/prices/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void repricingAPastPeriodIsExplicitAuditedAndKeepsTheOldFigures() throws Exception {
        TestTenant tenant = activeTenant("repriced", "standard", "us"); // placed in test-us-1
        asPlatformAdmin().body(book("test-us-1", "2020-06-01T00:00:00Z", true, List.of(price("input-tokens", null, "4.00"))))
                .post("/api/v1/platform/prices").then().statusCode(201);
        String service = serviceKey("test-us-1", null);
        as(service).body(Map.of("events", List.of(event(tenant, "llama", "2020-06-15T12:00:00Z", 0, 1000, 0),
                        event(tenant, "llama", "2020-07-15T12:00:00Z", 0, 1000, 0))))
                .post("/internal/v1/usage").then().statusCode(200).body("accepted", equalTo(2));
        assertThat(new BigDecimal(report(tenant, "2020-06-01T00:00:00Z", "2020-08-01T00:00:00Z").getString("totals.cost")))
                .isEqualByComparingTo("8");

        // the price from mid-June was wrong: a correction, then the period repriced
        asPlatformAdmin().body(book("test-us-1", "2020-06-10T00:00:00Z", true, List.of(price("input-tokens", null, "1.50"))))
                .post("/api/v1/platform/prices").then().statusCode(201);
        assertThat(new BigDecimal(report(tenant, "2020-06-01T00:00:00Z", "2020-08-01T00:00:00Z").getString("totals.cost")))
                .as("a new version changes no recorded cost by itself").isEqualByComparingTo("8");
        JsonPath repricing = asPlatformAdmin().body(Map.of("from", "2020-06-10T00:00:00Z", "to", "2020-07-01T00:00:00Z",
                        "region", "test-us-1", "reason", "June's input price was entered 4.00 instead of 1.50"))
                .post("/api/v1/platform/prices:reprice").then().statusCode(200).extract().jsonPath();
        assertThat(repricing.getInt("events")).isEqualTo(1);
        assertThat(new BigDecimal(repricing.getString("costBefore"))).isEqualByComparingTo("4");
        assertThat(new BigDecimal(repricing.getString("costAfter"))).isEqualByComparingTo("1.5");
        assertThat(new BigDecimal(report(tenant, "2020-06-01T00:00:00Z", "2020-08-01T00:00:00Z").getString("totals.cost")))
                .as("June repriced, July (outside the period) kept").isEqualByComparingTo("5.5");
        try (Connection owner = ownerConnection();
             PreparedStatement kept = owner.prepareStatement("SELECT old_cost, new_cost FROM usage_cost_revision WHERE repricing_id = ?::uuid")) {
            kept.setString(1, repricing.getString("id"));
            try (ResultSet rows = kept.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getBigDecimal("old_cost")).isEqualByComparingTo("4");
                assertThat(rows.getBigDecimal("new_cost")).isEqualByComparingTo("1.5");
                assertThat(rows.next()).isFalse();
            }
        }
        asPlatformAdmin().queryParam("action", "usage.reprice").queryParam("limit", 50).get("/api/v1/audit/events").then()
                .statusCode(200).body("items.find { it.resource.id == '" + repricing.getString("id") + "' }.after.reason",
                        equalTo("June's input price was entered 4.00 instead of 1.50"));
    }

    @Test
    void badVersionsAndRepricingsAreRefusedAndChangeNothing() {
        TestTenant tenant = activeTenant("prices-denied");
        int before = asPlatformAdmin().get("/api/v1/platform/prices").then().statusCode(200).extract().jsonPath().getList("items").size();
        String future = "2099-01-01T00:" + String.format("%02d", (int) (Math.random() * 60)) + ":00Z";
        List<Map<String, Object>> unprocessable = List.of(
                new HashMap<>(Map.of("currency", "EUR", "effectiveFrom", future, "prices", List.of(price("requests", null, "1")))),
                book(null, "2020-01-01T00:00:00Z", false, List.of(price("requests", null, "1"))),
                book(null, future, true, List.of(price("requests", null, "1"))),
                book(null, future, false, List.of(price("requests", null, "1"), price("requests", null, "2"))),
                book(null, future, false, List.of(new HashMap<>(Map.of("meter", "input-tokens", "gpuType", "nvidia-l4", "unitPrice", 1)))),
                book(null, future, false, List.of(price("rag-storage", "llama", "1"))),
                book(null, "3000-01-01T00:00:00Z", false, List.of(price("requests", null, "1"))));
        for (Map<String, Object> body : unprocessable) {
            asPlatformAdmin().body(body).post("/api/v1/platform/prices").then().statusCode(422).contentType("application/problem+json");
        }
        List<Map<String, Object>> invalid = List.of(
                book(null, future, false, List.of(price("requests", null, "-1"))),
                book(null, future, false, List.of(price("tokens", null, "1"))),
                book(null, future, false, List.of(price("requests", null, "0.0000000000001"))),
                book(null, future, false, List.of()),
                book("Not A Region", future, false, List.of(price("requests", null, "1"))));
        for (Map<String, Object> body : invalid) {
            asPlatformAdmin().body(body).post("/api/v1/platform/prices").then().statusCode(400).contentType("application/problem+json");
        }
        asPlatformAdmin().body(book("no-such-region", future, false, List.of(price("requests", null, "1"))))
                .post("/api/v1/platform/prices").then().statusCode(404);
        asPlatformAdmin().body(Map.of("from", "2020-02-01T00:00:00Z", "to", "2020-01-01T00:00:00Z", "reason", "r"))
                .post("/api/v1/platform/prices:reprice").then().statusCode(422);
        asPlatformAdmin().body(Map.of("from", "2020-01-01T00:00:00Z", "to", "2020-02-01T00:00:00Z"))
                .post("/api/v1/platform/prices:reprice").then().statusCode(400);
        // a tenant's admin neither reads nor writes the platform's prices
        String admin = apiKey(tenant, "admin");
        as(admin).get("/api/v1/platform/prices").then().statusCode(403);
        as(admin).body(book(null, future, false, List.of(price("requests", null, "1")))).post("/api/v1/platform/prices").then().statusCode(403);
        as(admin).body(Map.of("from", "2020-01-01T00:00:00Z", "to", "2020-02-01T00:00:00Z", "reason", "r"))
                .post("/api/v1/platform/prices:reprice").then().statusCode(403);
        assertThat(asPlatformAdmin().get("/api/v1/platform/prices").then().statusCode(200).extract().jsonPath().getList("items"))
                .hasSize(before);

        // two versions of one scope cannot take effect at the same instant
        asPlatformAdmin().body(book(null, future, false, List.of(price("requests", null, "1")))).post("/api/v1/platform/prices")
                .then().statusCode(201);
        asPlatformAdmin().body(book(null, future, false, List.of(price("requests", null, "2")))).post("/api/v1/platform/prices")
                .then().statusCode(409);
    }
}
