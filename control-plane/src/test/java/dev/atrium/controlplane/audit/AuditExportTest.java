package dev.atrium.controlplane.audit;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.atrium.controlplane.audit.digest.AuditDigests;
import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;
import dev.atrium.controlplane.testing.Users;

/** Exports end to end: requested by a compliance officer, downloaded, and verified offline by the shipped jar. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class AuditExportTest {

    private static final Path VERIFIER = Path.of("..", "compliance", "target", "atrium-audit-verify.jar");

    @Inject
    AuditDigests digests;

    @TempDir
    Path dir;

    @Test
    void aComplianceOfficersExportVerifiesOfflineAndTamperingIsNamed() throws Exception {
        TestTenant tenant = activeTenant("export");
        for (int i = 0; i < 5; i++) {
            asPlatformAdmin().body(Map.of("displayName", "Name " + i)).patch(tenant.path()).then().statusCode(200);
        }
        digests.writeDue(Duration.ZERO, 4);
        String officer = Users.complianceOfficer(tenant);

        String id = as(officer).body(Map.of("tenantId", tenant.id().toString(), "format", "jsonl"))
                .post("/api/v1/audit/exports").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as(officer).get("/api/v1/audit/exports/" + id).then().body("status", equalTo("DONE")).body("progress", equalTo(100)));
        byte[] content = as(officer).get("/api/v1/audit/exports/" + id + "/content").then().statusCode(200)
                .contentType("application/x-ndjson").extract().asByteArray();
        Path export = dir.resolve("export.jsonl");
        Files.write(export, content);
        List<String> lines = Files.readAllLines(export);
        assertThat(lines.getFirst()).contains("\"record\":\"export\"");
        assertThat(lines.getLast()).contains("\"record\":\"manifest\"").contains("\"signature\"");

        Verification untouched = verify(export);
        assertThat(untouched.exitCode()).isZero();
        // create, activate, 5 renames, the officer joining, the export request itself
        assertThat(untouched.output()).contains("VERIFIED: 10 events and 2 signed digests of chain " + tenant.id());

        Path publicKey = dir.resolve("platform.pub");
        Files.writeString(publicKey, asPlatformAdmin().get("/api/v1/audit/public-keys").jsonPath().getString("items[-1].publicKey"));
        assertThat(verify(export, "--public-key", publicKey.toString()).exitCode()).isZero();

        Path tampered = dir.resolve("tampered.jsonl");
        int victim = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"action\":\"tenant.update\"")) {
                victim = i;
                break;
            }
        }
        List<String> changed = new java.util.ArrayList<>(lines);
        changed.set(victim, lines.get(victim).replace("Name 0", "Name X"));
        Files.write(tampered, changed);
        Verification broken = verify(tampered);
        assertThat(broken.exitCode()).isEqualTo(1);
        assertThat(broken.output()).contains("FAILED").contains("event changed").contains("first bad event");

        assertThat(asPlatformAdmin().queryParam("tenantId", tenant.id()).get("/api/v1/audit/events").jsonPath()
                .getList("items.action")).contains("audit.export.create", "audit.export.download");
    }

    @Test
    void csvExportsAndAccessRules() {
        TestTenant tenant = activeTenant("export-csv");
        TestTenant other = activeTenant("export-other");
        String officer = Users.complianceOfficer(tenant);
        String id = as(officer).body(Map.of("tenantId", tenant.id().toString(), "format", "csv"))
                .post("/api/v1/audit/exports").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "DONE".equals(as(officer).get("/api/v1/audit/exports/" + id).path("status")));
        String csv = new String(as(officer).get("/api/v1/audit/exports/" + id + "/content").then().statusCode(200)
                .contentType("text/csv").extract().asByteArray(), StandardCharsets.UTF_8);
        assertThat(csv).startsWith("id,sequence,occurredAt,").contains("tenant.create").contains("# signature: ");

        as(apiKey(tenant, "admin")).body(Map.of("tenantId", tenant.id().toString(), "format", "jsonl"))
                .post("/api/v1/audit/exports").then().statusCode(403);
        // reviewer rights never come from a key, nor from the platform-admin role
        as(apiKey(tenant, "audit:read")).body(Map.of("tenantId", tenant.id().toString(), "format", "jsonl"))
                .post("/api/v1/audit/exports").then().statusCode(403);
        asPlatformAdmin().body(Map.of("tenantId", tenant.id().toString(), "format", "jsonl"))
                .post("/api/v1/audit/exports").then().statusCode(403);
        asPlatformAdmin().get("/api/v1/audit/exports/" + id).then().statusCode(403);
        String otherOfficer = Users.complianceOfficer(other);
        as(otherOfficer).get("/api/v1/audit/exports/" + id).then().statusCode(404);
        as(otherOfficer).body(Map.of("tenantId", tenant.id().toString(), "format", "jsonl"))
                .post("/api/v1/audit/exports").then().statusCode(404);
        as(officer).body(Map.of("tenantId", tenant.id().toString(), "format", "docx")).post("/api/v1/audit/exports")
                .then().statusCode(400).body("errors[0].field", equalTo("format"));
        as(officer).body(Map.of("tenantId", tenant.id().toString(), "format", "jsonl", "from", "2030-01-01T00:00:00Z",
                "to", "2020-01-01T00:00:00Z")).post("/api/v1/audit/exports").then().statusCode(400);
        as(officer).get("/api/v1/audit/exports/00000000-0000-0000-0000-000000000000").then().statusCode(404);

        String newer = as(officer).body(Map.of("tenantId", tenant.id().toString(), "format", "pdf"))
                .post("/api/v1/audit/exports").then().statusCode(202).extract().path("id");
        as(officer).queryParam("tenantId", tenant.id().toString()).get("/api/v1/audit/exports").then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.contains(newer, id))
                .body("items[1].format", equalTo("csv"));
        as(otherOfficer).queryParam("tenantId", tenant.id().toString()).get("/api/v1/audit/exports").then().statusCode(404);
        as(otherOfficer).queryParam("tenantId", other.id().toString()).get("/api/v1/audit/exports").then().statusCode(200)
                .body("items", org.hamcrest.Matchers.empty());
        as(Users.platformComplianceOfficer().token()).get("/api/v1/audit/exports").then().statusCode(400)
                .body("errors[0].field", equalTo("tenantId"));
    }

    @Test
    void thePdfReportHasTheSummaryTheStatementAndTheEvents() throws Exception {
        TestTenant tenant = activeTenant("export-pdf");
        String officer = Users.complianceOfficer(tenant);
        for (int i = 0; i < 60; i++) {
            asPlatformAdmin().body(Map.of("displayName", "Name " + i)).patch(tenant.path()).then().statusCode(200);
        }
        digests.writeDue(Duration.ZERO, 25);
        String id = as(officer).body(Map.of("tenantId", tenant.id().toString(), "format", "pdf"))
                .post("/api/v1/audit/exports").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "DONE".equals(as(officer).get("/api/v1/audit/exports/" + id).path("status")));
        byte[] pdf = as(officer).get("/api/v1/audit/exports/" + id + "/content").then().statusCode(200)
                .contentType("application/pdf").extract().asByteArray();
        assertThat(new String(pdf, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        try (var document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            assertThat(document.getNumberOfPages()).isEqualTo(3); // cover + 65 events at 40 a page
            String text = new org.apache.pdfbox.text.PDFTextStripper().getText(document);
            assertThat(text).contains("Audit report", "Verification statement",
                    "All 65 events form an unbroken SHA-256 hash chain", "3 Ed25519-signed digests",
                    "By action", "tenant.update", "By outcome", "SUCCESS", "page 3 of 3");
            // pages as images, to look at: control-plane/target/reports/
            Path reports = Path.of("target", "reports");
            Files.createDirectories(reports);
            var renderer = new org.apache.pdfbox.rendering.PDFRenderer(document);
            for (int page = 0; page < 2; page++) {
                javax.imageio.ImageIO.write(renderer.renderImageWithDPI(page, 110), "png",
                        reports.resolve("audit-report-page-" + (page + 1) + ".png").toFile());
            }
        }
    }

    @Test
    void filteredExportsHoldTheSelectionAndVerifyAsPartial(@TempDir Path dir) throws Exception {
        TestTenant tenant = activeTenant("export-filter");
        String officer = Users.complianceOfficer(tenant);
        for (int i = 0; i < 4; i++) {
            asPlatformAdmin().body(Map.of("displayName", "Name " + i)).patch(tenant.path()).then().statusCode(200);
        }
        apiKey(tenant, "rag:query");
        apiKey(tenant, "admin");
        digests.writeDue(Duration.ZERO, 3);

        String id = as(officer).body(Map.of("tenantId", tenant.id().toString(), "format", "jsonl",
                        "filters", Map.of("action", "apikey.*", "outcome", "SUCCESS")))
                .post("/api/v1/audit/exports").then().statusCode(202)
                .body("filters.action", equalTo("apikey.*")).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "DONE".equals(as(officer).get("/api/v1/audit/exports/" + id).path("status")));
        as(officer).get("/api/v1/audit/exports/" + id).then().body("eventsWritten", equalTo(2))
                .body("eventsScanned", org.hamcrest.Matchers.greaterThan(6)).body("progress", equalTo(100));
        String content = as(officer).get("/api/v1/audit/exports/" + id + "/content").then().statusCode(200).extract().asString();
        List<String> actions = content.lines().filter(line -> line.contains("\"record\":\"event\""))
                .map(line -> line.replaceAll(".*\"action\":\"([^\"]+)\".*", "$1")).toList();
        assertThat(actions).containsExactly("apikey.create", "apikey.create");
        Path file = dir.resolve("filtered.jsonl");
        Files.writeString(file, content);
        Verification verified = verify(file);
        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(verified.output()).contains("VERIFIED: 2 events").contains("PARTIAL export");

        String pdfId = as(officer).body(Map.of("tenantId", tenant.id().toString(), "format", "pdf",
                        "filters", Map.of("action", "tenant.update")))
                .post("/api/v1/audit/exports").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "DONE".equals(as(officer).get("/api/v1/audit/exports/" + pdfId).path("status")));
        byte[] pdf = as(officer).get("/api/v1/audit/exports/" + pdfId + "/content").then().statusCode(200).extract().asByteArray();
        try (var document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            String text = new org.apache.pdfbox.text.PDFTextStripper().getText(document);
            assertThat(text).contains("Selection", "4 of ", "partial export", "tenant.update").doesNotContain("apikey.create");
        }

        as(officer).body(Map.of("tenantId", tenant.id().toString(), "format", "jsonl", "filters", Map.of("outcome", "MAYBE")))
                .post("/api/v1/audit/exports").then().statusCode(400).body("errors[0].field", equalTo("filters.outcome"));
        as(officer).body(Map.of("tenantId", tenant.id().toString(), "format", "jsonl", "filters", Map.of("action", "a b")))
                .post("/api/v1/audit/exports").then().statusCode(400).body("errors[0].field", equalTo("filters.action"));
    }

    @Test
    void aLongPdfListsTheFirstEventsAndSaysWhereTheRestIs() throws Exception {
        TestTenant tenant = activeTenant("export-pdf-cap");
        String officer = Users.complianceOfficer(tenant);
        for (int i = 0; i < 110; i++) {
            asPlatformAdmin().body(Map.of("displayName", "Name " + i)).patch(tenant.path()).then().statusCode(200);
        }
        String id = as(officer).body(Map.of("tenantId", tenant.id().toString(), "format", "pdf"))
                .post("/api/v1/audit/exports").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "DONE".equals(as(officer).get("/api/v1/audit/exports/" + id).path("status")));
        byte[] pdf = as(officer).get("/api/v1/audit/exports/" + id + "/content").then().statusCode(200).extract().asByteArray();
        try (var document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            assertThat(document.getNumberOfPages()).isEqualTo(4); // cover + 100 listed events at 40 a page
            String text = new org.apache.pdfbox.text.PDFTextStripper().getText(document);
            assertThat(text).contains("All 115 events form an unbroken SHA-256 hash chain")
                    .contains("lists the first 100 of 115 events").contains("JSON Lines export");
        }
    }

    @Test
    void aDeletedTenantsErasureReceiptsAreInItsExportedTrailAndVerifyOffline() throws Exception {
        TestTenant tenant = activeTenant("export-erased");
        asPlatformAdmin().post(tenant.path() + ":suspend").then().statusCode(200);
        asPlatformAdmin().delete(tenant.path()).then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> "DELETED".equals(asPlatformAdmin().get(tenant.path()).path("status")));
        digests.writeDue(Duration.ZERO, 1000);

        String reviewer = Users.platformComplianceOfficer().token();
        String id = as(reviewer).body(Map.of("tenantId", tenant.id().toString(), "format", "jsonl"))
                .post("/api/v1/audit/exports").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as(reviewer).get("/api/v1/audit/exports/" + id).then().body("status", equalTo("DONE")));
        Path export = dir.resolve("erased.jsonl");
        Files.write(export, as(reviewer).get("/api/v1/audit/exports/" + id + "/content").then().statusCode(200)
                .extract().asByteArray());
        List<String> receipts = Files.readAllLines(export).stream().filter(line -> line.contains("\"action\":\"tenant.erase\"")).toList();
        assertThat(receipts).hasSize(1);
        assertThat(receipts.getFirst()).contains("\"region\":\"test-eu-1\"").contains("\"erasedAt\"");
        Verification verified = verify(export);
        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(verified.output()).contains("VERIFIED");
    }

    private record Verification(int exitCode, String output) {
    }

    private static Verification verify(Path export, String... options) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", VERIFIER.toString(), export.toString()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Verification(process.waitFor(), output);
    }
}
