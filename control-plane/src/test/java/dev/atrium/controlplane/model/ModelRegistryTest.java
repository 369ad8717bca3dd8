package dev.atrium.controlplane.model;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static dev.atrium.controlplane.testing.Api.serviceKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

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
import dev.atrium.controlplane.testing.Users.TestUser;
import dev.atrium.controlplane.testing.Users;

@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class ModelRegistryTest {

    private static String models(TestTenant tenant) {
        return tenant.path() + "/models";
    }

    @Test
    void aVersionGoesFromDraftThroughReviewToApprovedAndOnlyThenIsServable() {
        TestTenant tenant = activeTenant("models");
        String admin = apiKey(tenant, "admin");
        String officer = Users.complianceOfficer(tenant);
        String auditKey = apiKey(tenant, "audit:read");
        as(admin).body(Map.of("name", "support-llm", "type", "llm", "provider", "acme")).post(models(tenant)).then().statusCode(201)
                .body("owner", equalTo(tenant.id().toString()));
        String versions = models(tenant) + "/support-llm/versions";
        as(admin).body(ModelCards.version("1", Map.of("limitations", List.of("draft")))).post(versions).then().statusCode(201)
                .body("status", equalTo("DRAFT")).body("hardware.gpuCount", equalTo(1));

        as(admin).post(versions + "/1:submit").then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("details.owners")).body("errors.field", hasItem("card.ethicalConsiderations"));
        as(admin).body(Map.of("card", ModelCards.complete())).patch(versions + "/1").then().statusCode(200);
        as(admin).post(versions + "/1:submit").then().statusCode(200).body("status", equalTo("IN_REVIEW"));
        as(admin).body(Map.of("card", ModelCards.complete())).patch(versions + "/1").then().statusCode(409);

        as(admin).body(Map.of("comment", "looks fine")).post(versions + "/1:approve").then().statusCode(403);
        asPlatformAdmin().body(Map.of("comment", "operator says yes")).post(versions + "/1:approve").then().statusCode(403);
        // a key never holds reviewer rights, whatever its scopes
        as(auditKey).body(Map.of("comment", "a key says yes")).post(versions + "/1:approve").then().statusCode(403);
        as(officer).body(Map.of("comment", "")).post(versions + "/1:approve").then().statusCode(400);
        as(serviceKey("test-eu-1", null)).get("/internal/v1/tenants/" + tenant.id() + "/servable-models").then().statusCode(200)
                .body("model", not(hasItem("support-llm")));
        as(officer).body(Map.of("comment", "Evaluation and mitigations reviewed")).post(versions + "/1:approve").then().statusCode(200)
                .body("status", equalTo("APPROVED")).body("reviewComment", equalTo("Evaluation and mitigations reviewed"))
                .body("reviewedBy", containsString("user:"));
        as(officer).body(Map.of("comment", "again")).post(versions + "/1:approve").then().statusCode(409);
        as(serviceKey("test-eu-1", null)).get("/internal/v1/tenants/" + tenant.id() + "/servable-models").then().statusCode(200)
                .body("find { it.model == 'support-llm' }.version", equalTo("1"));

        as(admin).post(versions + "/1:deprecate").then().statusCode(200).body("status", equalTo("DEPRECATED"));
        as(serviceKey("test-eu-1", null)).get("/internal/v1/tenants/" + tenant.id() + "/servable-models").then()
                .body("model", not(hasItem("support-llm")));

        JsonPath audit = asPlatformAdmin().queryParam("tenantId", tenant.id().toString()).queryParam("limit", 50)
                .get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath();
        assertThat(audit.getList("items.action", String.class)).contains("model.create", "model.version.create",
                "model.version.update", "model.version.submit", "model.version.approve", "model.version.deprecate");
        assertThat(audit.getString("items.find { it.action == 'model.version.approve' }.after.comment"))
                .isEqualTo("Evaluation and mitigations reviewed");
    }

    @Test
    void aRejectedVersionCanBeFixedAndResubmittedAndTheCardExportsAsMarkdownAndPdfWithEvaluations() throws Exception {
        TestTenant tenant = activeTenant("models-reject");
        String admin = apiKey(tenant, "admin");
        String officer = Users.complianceOfficer(tenant);
        as(admin).body(Map.of("name", "embedder", "type", "embedding")).post(models(tenant)).then().statusCode(201);
        String version = models(tenant) + "/embedder/versions/2";
        as(admin).body(ModelCards.version("2", ModelCards.complete())).post(models(tenant) + "/embedder/versions").then().statusCode(201);
        as(admin).post(version + ":submit").then().statusCode(200);
        as(officer).body(Map.of("comment", "No evaluation on our own data")).post(version + ":reject").then().statusCode(200)
                .body("status", equalTo("REJECTED"));
        Map<String, Object> report = Map.of("dataset", "us-constitution", "results", List.of(
                Map.of("mode", "hybrid", "recallAt5", 0.971, "recallAt10", 1.0, "mrrAt10", 0.927, "ndcgAt10", 0.942)));
        as(admin).body(Map.of("report", report)).post(version + "/evaluations").then().statusCode(200)
                .body("card.evaluationResults.metric", hasItems("hybrid recall@10", "hybrid nDCG@10"));
        as(admin).post(version + ":submit").then().statusCode(200).body("status", equalTo("IN_REVIEW"));

        String markdown = as(admin).accept("text/markdown").get(version + "/card").then().statusCode(200).extract().asString();
        assertThat(markdown).startsWith("# Model card: embedder 2").contains("Status: **IN_REVIEW**")
                .contains("| hybrid nDCG@10 | 0.9420 | us-constitution | test |").contains("## Ethical considerations");

        byte[] pdf = as(admin).accept("application/pdf").queryParam("format", "pdf").get(version + "/card").then().statusCode(200)
                .contentType("application/pdf").extract().asByteArray();
        try (org.apache.pdfbox.pdmodel.PDDocument document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            String text = new org.apache.pdfbox.text.PDFTextStripper().getText(document);
            assertThat(text).contains("Model card: embedder 2", "Status: IN_REVIEW", "Intended use", "hybrid nDCG@10 = 0.9420 on us-constitution",
                    "Risk: May repeat personal data. Mitigation: PII redaction on answers");
            java.awt.image.BufferedImage page = new org.apache.pdfbox.rendering.PDFRenderer(document).renderImageWithDPI(0, 60);
            java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "screenshots"));
            javax.imageio.ImageIO.write(page, "png", java.nio.file.Path.of("target", "screenshots", "model-card.png").toFile());
        }
        as(admin).queryParam("format", "docx").get(version + "/card").then().statusCode(400);
    }

    @Test
    void nobodyReviewsAVersionTheySubmitted() {
        // a person holding both platform roles registers and submits a platform-wide version: someone else reviews it
        TestUser both = Users.withRealmRole(Users.platformAdmin(), "platform-compliance-officer");
        String name = "self-review-" + UUID.randomUUID().toString().substring(0, 8);
        String versions = "/api/v1/platform/models/" + name + "/versions";
        as(both.token()).body(Map.of("name", name, "type", "llm")).post("/api/v1/platform/models").then().statusCode(201);
        as(both.token()).body(ModelCards.version("1", ModelCards.complete())).post(versions).then().statusCode(201);
        as(both.token()).post(versions + "/1:submit").then().statusCode(200);
        as(both.token()).body(Map.of("comment", "mine, approved by me")).post(versions + "/1:approve").then().statusCode(403)
                .body("detail", containsString("someone other than its submitter"));
        as(both.token()).body(Map.of("comment", "mine, rejected by me")).post(versions + "/1:reject").then().statusCode(403);
        as(Users.platformComplianceOfficer().token()).body(Map.of("comment", "reviewed by another person"))
                .post(versions + "/1:approve").then().statusCode(200).body("submittedBy", equalTo("user:" + both.id()));

        // in a tenant: a person who submitted through a key they created cannot approve it after becoming a reviewer
        TestTenant tenant = activeTenant("models-self");
        TestUser person = Users.member(tenant, "tenant-admin");
        String personsKey = as(person.token()).body(Map.of("name", "mine", "scopes", List.of("admin")))
                .post(tenant.path() + "/api-keys").then().statusCode(201).extract().path("secret");
        as(personsKey).body(Map.of("name", "own-llm", "type", "llm")).post(models(tenant)).then().statusCode(201);
        as(personsKey).body(ModelCards.version("1", ModelCards.complete())).post(models(tenant) + "/own-llm/versions").then().statusCode(201);
        as(personsKey).post(models(tenant) + "/own-llm/versions/1:submit").then().statusCode(200);
        Users.member(tenant, "tenant-admin");
        asPlatformAdmin().body(Map.of("role", "compliance-officer")).patch(tenant.path() + "/members/" + person.id()).then().statusCode(200);
        as(person.token()).body(Map.of("comment", "approving what my key submitted"))
                .post(models(tenant) + "/own-llm/versions/1:approve").then().statusCode(403);
        as(Users.complianceOfficer(tenant)).body(Map.of("comment", "independent review"))
                .post(models(tenant) + "/own-llm/versions/1:approve").then().statusCode(200);
    }

    @Test
    void aChainOfKeysDoesNotHideWhoIsBehindASubmission() {
        // a person holding both platform roles makes a platform key, which makes a second one that submits a version
        TestUser both = Users.withRealmRole(Users.platformAdmin(), "platform-compliance-officer");
        String first = as(both.token()).body(Map.of("name", "first")).post("/api/v1/platform/api-keys").then().statusCode(201)
                .extract().path("secret");
        String second = as(first).body(Map.of("name", "second")).post("/api/v1/platform/api-keys").then().statusCode(201)
                .extract().path("secret");
        String name = "chained-" + UUID.randomUUID().toString().substring(0, 8);
        String versions = "/api/v1/platform/models/" + name + "/versions";
        as(second).body(Map.of("name", name, "type", "llm")).post("/api/v1/platform/models").then().statusCode(201);
        as(second).body(ModelCards.version("1", ModelCards.complete())).post(versions).then().statusCode(201);
        as(second).post(versions + "/1:submit").then().statusCode(200);

        as(both.token()).body(Map.of("comment", "approved through two keys")).post(versions + "/1:approve").then().statusCode(403)
                .body("detail", containsString("someone other than its submitter"));
        as(Users.platformComplianceOfficer().token()).body(Map.of("comment", "reviewed by another person"))
                .post(versions + "/1:approve").then().statusCode(200);
    }

    @Test
    void platformModelsAreVisibleToEveryTenantButOnlyTheirOwnModelsAreWritable() {
        String name = "platform-" + UUID.randomUUID().toString().substring(0, 8);
        asPlatformAdmin().body(Map.of("name", name, "type", "llm", "provider", "atrium")).post("/api/v1/platform/models").then().statusCode(201)
                .body("owner", equalTo("platform"));
        asPlatformAdmin().body(ModelCards.version("1", ModelCards.complete())).post("/api/v1/platform/models/" + name + "/versions")
                .then().statusCode(201);
        asPlatformAdmin().post("/api/v1/platform/models/" + name + "/versions/1:submit").then().statusCode(200);
        asPlatformAdmin().body(Map.of("comment", "I registered it, I approve it")).post("/api/v1/platform/models/" + name + "/versions/1:approve")
                .then().statusCode(403);
        as(Users.platformComplianceOfficer().token()).body(Map.of("comment", "platform review done"))
                .post("/api/v1/platform/models/" + name + "/versions/1:approve").then().statusCode(200);
        asPlatformAdmin().get("/api/v1/platform/models/" + name + "/versions").then().statusCode(200)
                .body("items.version", org.hamcrest.Matchers.contains("1")).body("items[0].reviewComment", equalTo("platform review done"));
        asPlatformAdmin().get("/api/v1/platform/models/" + name + "/versions/1/card").then().statusCode(200)
                .contentType("text/markdown").body(org.hamcrest.Matchers.containsString("# Model card: " + name + " 1"));
        asPlatformAdmin().queryParam("format", "docx").get("/api/v1/platform/models/" + name + "/versions/1/card").then()
                .statusCode(400).body("errors[0].field", equalTo("format"));
        asPlatformAdmin().get("/api/v1/platform/models/no-such-model/versions").then().statusCode(404);

        TestTenant a = activeTenant("models-a");
        TestTenant b = activeTenant("models-b");
        String memberA = apiKey(a, "rag:query");
        as(memberA).get(models(a)).then().statusCode(200).body("items.name", hasItem(name));
        as(memberA).get(models(a) + "/" + name + "/versions/1").then().statusCode(200).body("status", equalTo("APPROVED"));
        as(apiKey(a, "admin")).body(ModelCards.version("2", ModelCards.complete())).post(models(a) + "/" + name + "/versions")
                .then().statusCode(404);
        as(serviceKey("test-eu-1", null)).get("/internal/v1/tenants/" + b.id() + "/servable-models").then()
                .body("find { it.model == '" + name + "' }.owner", equalTo("platform"));

        String adminA = apiKey(a, "admin");
        as(adminA).body(Map.of("name", "secret-model", "type", "classifier")).post(models(a)).then().statusCode(201);
        as(apiKey(b, "admin")).get(models(a) + "/secret-model").then().statusCode(404);
        as(apiKey(b, "admin")).get(models(b)).then().body("items.name", not(hasItem("secret-model")));
        as(adminA).body(Map.of("name", "secret-model", "type", "classifier")).post(models(a)).then().statusCode(409);
        as(adminA).body(Map.of("name", "Bad Name!", "type", "llm")).post(models(a)).then().statusCode(400);
        as(adminA).body(Map.of("name", "x", "type", "oracle")).post(models(a)).then().statusCode(400);
    }
}
