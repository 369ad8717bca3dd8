package dev.atrium.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import dev.atrium.compliance.export.ExportVerifier;
import dev.atrium.console.testing.Browser;
import dev.atrium.console.testing.ConsoleStack;
import dev.atrium.console.testing.Realm.Person;
import dev.atrium.console.testing.Realm;
import dev.atrium.console.testing.Tenants.TestTenant;
import dev.atrium.console.testing.Tenants;

/**
 * The console in real headless Chromium, signed in through Keycloak's real login page, against the real control
 * plane. What the browser did is checked through the API as well (a key the page created works, then does not).
 */
@QuarkusIntegrationTest
@ConsoleStack
class ConsoleIT {

    @TestHTTPResource("/")
    String consoleUrl;

    private String base;

    @BeforeEach
    void allowRedirects() {
        base = consoleUrl.replaceAll("/$", "");
        Realm.allowConsoleRedirects(base);
    }

    @Test
    void tenantAdminCreatesSeesAndRevokesAnApiKey() {
        TestTenant tenant = Tenants.create("acme");
        Person admin = Realm.createUser("alice");
        Tenants.addMember(tenant, admin, "tenant-admin");
        Instant now = Instant.now();
        Tenants.recordUsage(tenant, now, "chat", 1000, 200);
        Tenants.recordUsage(tenant, now.minus(2, ChronoUnit.DAYS), "chat", 400, 100);

        try (Browser browser = new Browser(base)) {
            browser.signIn(admin.username(), Realm.PASSWORD);
            browser.awaitText("Tokens per day");
            assertThat(browser.byId("usage-chart").findElements(By.cssSelector("rect.bar"))).hasSize(30);
            assertThat(browser.text()).contains("1,700").contains("chat");
            assertThat(browser.driver().getCurrentUrl()).endsWith("/t/" + tenant.id() + "/overview");
            // the tenant admin sees where the tenant's data lives: its region in zone eu
            assertThat(browser.byId("tenant-placement").getText()).isEqualTo("local-a");
            assertThat(browser.byId("tenant-endpoint").getText()).isEqualTo(Tenants.regionEndpoint("local-a"));
            browser.screenshot("tenant-overview");
            browser.click("nav-api-keys");
            browser.awaitText("No API keys yet");
            browser.screenshot("api-keys-empty");

            browser.click("create-api-key");
            browser.type("api-key-name", "support-bot");
            browser.click("api-key-create");
            String secret = browser.byId("api-key-secret").getText().strip();
            assertThat(secret).startsWith("atr_");
            browser.awaitText("it will never be shown again");
            browser.screenshot("api-key-created");
            assertThat(Tenants.statusWithKey(secret, "/api/v1/tenants/" + tenant.id())).isEqualTo(200);

            browser.click("secret-done");
            browser.awaitNoText(secret);
            assertThat(browser.text()).as("the secret is shown once, never in the list").contains("support-bot").contains("ACTIVE");
            browser.screenshot("api-keys");

            WebElement revoke = browser.await(d -> d.findElements(By.cssSelector(".revoke-support-bot")).stream().findFirst().orElse(null));
            browser.click(revoke);
            browser.clickButton("Revoke key");
            browser.awaitText("REVOKED");
            assertThat(Tenants.statusWithKey(secret, "/api/v1/tenants/" + tenant.id())).isEqualTo(401);

            browser.click("nav-members");
            browser.awaitText(admin.username() + "@example.com");
            Person invitee = Realm.createUser("invitee");
            browser.click("invite-member");
            browser.type("invite-email", invitee.username() + "@example.com");
            browser.click("invite-send");
            browser.awaitText("they join when they accept it");
            browser.awaitText("PENDING");
            browser.screenshot("members");
            browser.click("nav-secrets");
            browser.click("new-secret");
            browser.type("secret-name", "upstream-openai-key");
            browser.type("secret-value", "sk-test-never-shown");
            browser.click("secret-save");
            browser.awaitText("upstream-openai-key");
            assertThat(browser.text()).doesNotContain("sk-test-never-shown");
            browser.screenshot("secrets");
            browser.click("nav-models");
            browser.awaitText("Register model");
            browser.screenshot("models");
            browser.click("nav-audit");
            browser.awaitText("apikey.revoke");
            browser.screenshot("audit-log");
        }
    }

    @Test
    void aTenantAdminBuildsAKnowledgeBaseAndTheAnswerCitesTheUploadedDocument() throws Exception {
        TestTenant tenant = Tenants.create("rag");
        Person admin = Realm.createUser("rita");
        Tenants.addMember(tenant, admin, "tenant-admin");
        Path handbook = Files.createTempDirectory("kb").resolve("travel-policy.md");
        Files.writeString(handbook, """
                # Travel policy

                Employees book flights through the travel desk at least fourteen days before departure.

                ## Expenses

                Hotel costs are reimbursed up to 180 euros per night in capital cities and 120 euros elsewhere.
                Receipts must be uploaded within thirty days of the trip.
                """);

        try (Browser browser = new Browser(base)) {
            browser.signIn(admin.username(), Realm.PASSWORD);
            browser.click("nav-knowledge-bases");
            browser.awaitText("No knowledge bases yet");
            browser.click("create-kb");
            browser.type("kb-name", "handbook");
            browser.click("kb-create");
            browser.awaitText("handbook created");
            WebElement upload = browser.byId("document-upload");
            upload.getShadowRoot().findElement(By.cssSelector("input[type=file]")).sendKeys(handbook.toString());
            browser.awaitText("travel-policy.md indexed");
            browser.awaitText("READY");
            browser.awaitText("handbook\n1\n"); // the list's document count follows the upload
            browser.screenshot("knowledge-base-documents");

            browser.clickTab("Playground");
            browser.type("playground-question", "How much is reimbursed for a hotel night in a capital city?");
            browser.click("playground-ask");
            browser.awaitText("Sources");
            String answer = browser.byId("playground-answer").getText();
            assertThat(answer).contains("180 euros").contains("[1] travel-policy.md");
            browser.screenshot("knowledge-base-playground");
        }
    }

    @Test
    void aTenantAdminOfBNeverSeesTenantA() {
        TestTenant a = Tenants.create("alpha");
        TestTenant b = Tenants.create("bravo");
        Person adminOfA = Realm.createUser("anna");
        Tenants.addMember(a, adminOfA, "tenant-admin");
        Person adminOfB = Realm.createUser("bert");
        Tenants.addMember(b, adminOfB, "tenant-admin");
        TestTenant c = Tenants.create("charlie");
        Tenants.addMember(c, adminOfB, "tenant-member");
        Tenants.controlPlane().call("POST", "/api/v1/tenants/" + a.id() + "/api-keys",
                "{\"name\":\"alpha-secret-pipeline\",\"scopes\":[\"rag:query\"]}", 201);

        try (Browser browser = new Browser(base)) {
            browser.signIn(adminOfB.username(), Realm.PASSWORD);
            browser.awaitText(b.displayName());
            for (String page : List.of("overview", "api-keys", "members", "secrets", "knowledge-bases", "models", "audit", "compliance/exports")) {
                browser.open("/t/" + a.id() + "/" + page);
                browser.awaitText("You are not a member of that tenant");
                assertThat(browser.driver().getCurrentUrl()).doesNotContain(a.id());
                assertThat(browser.text()).doesNotContain(a.slug()).doesNotContain(a.displayName()).doesNotContain("alpha-secret-pipeline");
            }
            browser.screenshot("isolation-refused");
            browser.click("nav-api-keys");
            browser.awaitText("No API keys yet");
            assertThat(browser.text()).doesNotContain("alpha-secret-pipeline");
            browser.click("tenant-switcher");
            browser.awaitText(c.slug());
            assertThat(browser.text()).contains(b.slug()).doesNotContain(a.slug());
            WebElement other = browser.await(d -> d.findElements(By.tagName("vaadin-select-item")).stream()
                    .filter(item -> item.getText().contains(c.slug())).findFirst().orElse(null));
            browser.click(other);
            browser.await(d -> d.getCurrentUrl().endsWith("/t/" + c.id() + "/overview") ? true : null);
            browser.awaitText(c.displayName());
            assertThat(browser.all(By.id("nav-api-keys"))).as("a tenant-member of C gets no admin pages there").isEmpty();
        }
    }

    @Test
    void aComplianceOfficerExportsTheAuditTrailAndTheDownloadVerifiesOffline() throws Exception {
        TestTenant tenant = Tenants.create("comply");
        Person officer = Realm.createUser("carla");
        Tenants.addMember(tenant, officer, "compliance-officer");
        Tenants.submitModelForReview(tenant, "support-llm");

        try (Browser browser = new Browser(base)) {
            browser.signIn(officer.username(), Realm.PASSWORD);
            browser.click("nav-compliance-integrity");
            browser.awaitText("Audit trail intact");
            browser.screenshot("audit-integrity");
            browser.click("nav-compliance-reviews");
            browser.awaitText("support-llm");
            WebElement row = browser.await(d -> d.findElements(By.xpath("//vaadin-grid-cell-content[text()='support-llm']"))
                    .stream().findFirst().orElse(null));
            browser.click(row);
            browser.awaitText("Answers support questions");
            browser.click("approve");
            browser.awaitText("comment");
            assertThat(Tenants.modelVersion(tenant, "support-llm")).contains("\"status\":\"IN_REVIEW\"");
            browser.type("review-comment", "Card complete; evaluation on the support FAQ is adequate.");
            browser.screenshot("model-review");
            browser.click("approve");
            browser.awaitText("Nothing to review");
            assertThat(Tenants.modelVersion(tenant, "support-llm")).contains("\"status\":\"APPROVED\"")
                    .contains("evaluation on the support FAQ is adequate");

            browser.click("nav-compliance-exports");
            browser.awaitText("No exports yet");
            browser.click("start-export");
            WebElement download = browser.await(d -> d.findElements(By.cssSelector(".download-export")).stream().findFirst().orElse(null));
            browser.awaitText("DONE");
            browser.screenshot("audit-exports");
            browser.click(download);
            Path file = browser.await(d -> {
                try (Stream<Path> files = Files.list(browser.downloads())) {
                    return files.filter(f -> f.toString().endsWith(".jsonl")).findFirst().orElse(null);
                } catch (java.io.IOException e) {
                    return null;
                }
            });
            try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                ExportVerifier.Result result = ExportVerifier.verify(lines, null);
                assertThat(result.valid()).as(result.reason()).isTrue();
                assertThat(result.chainId()).contains(tenant.id());
                assertThat(result.events()).isGreaterThanOrEqualTo(2);
                assertThat(result.partial()).isFalse();
            }

            browser.type("export-action", "member.*");
            browser.click("start-export");
            browser.awaitText("partial: {action=member.*}");
            browser.await(d -> browser.all(By.cssSelector(".download-export")).size() == 2 ? true : null);
            browser.screenshot("audit-exports-partial");
        }
    }

    @Test
    void anInvitedPersonSeesTheInvitationAndJoinsByAcceptingIt() {
        TestTenant tenant = Tenants.create("invited");
        Person invitee = Realm.createUser("newcomer");
        Tenants.invite(tenant, invitee.username() + "@example.com", "tenant-member");
        try (Browser browser = new Browser(base)) {
            browser.signIn(invitee.username(), Realm.PASSWORD);
            browser.awaitText(tenant.slug());
            assertThat(browser.driver().getCurrentUrl()).endsWith("/invitations");
            browser.screenshot("my-invitations");
            browser.click("accept-" + tenant.slug());
            browser.awaitText("You joined " + tenant.slug());
            browser.await(d -> d.getCurrentUrl().endsWith("/t/" + tenant.id() + "/overview") ? true : null);
        }
        assertThat(Tenants.members(tenant)).contains(invitee.id());
    }

    @Test
    void aPlatformAdminCreatesAndSuspendsATenant() {
        Person operator = Realm.createPlatformAdmin();
        String slug = "globex-" + Long.toString(System.nanoTime(), 36);

        try (Browser browser = new Browser(base)) {
            browser.signIn(operator.username(), Realm.PASSWORD);
            browser.awaitText("Every customer organisation");
            browser.click("create-tenant");
            browser.type("tenant-display-name", "Globex Corporation");
            browser.type("tenant-slug", "Not A Slug!");
            browser.click("tenant-create");
            browser.awaitText("slug");
            assertThat(browser.all(By.cssSelector(".problem"))).isNotEmpty();
            browser.type("tenant-slug", slug);
            browser.click("tenant-create");
            browser.awaitText("Globex Corporation created");
            browser.type("tenant-search", slug);
            browser.awaitText(slug);
            browser.screenshot("platform-tenants");
            String id = Tenants.idOf(slug);
            Tenants.awaitStatus(new TestTenant(id, slug, "Globex Corporation"), "ACTIVE");
            browser.click("refresh-tenants");
            // where it is served: the stack's static region local-a, so the shared (pooled) data plane
            browser.click("placement-" + slug);
            browser.awaitText("Placement of Globex Corporation");
            assertThat(browser.byId("placement-tier").getText()).isEqualTo("pooled");
            assertThat(browser.byId("placement-primary").getText()).contains("local-a").contains("static");
            browser.screenshot("platform-tenant-placement");
            browser.clickButton("Close");
            browser.click("suspend-" + slug);
            browser.awaitText("Globex Corporation is SUSPENDED");
            Tenants.awaitStatus(new TestTenant(id, slug, "Globex Corporation"), "SUSPENDED");
            browser.click("delete-" + slug);
            browser.type("delete-confirmation", "wrong");
            assertThat(browser.byId("delete-confirm").getAttribute("disabled")).isNotNull();
            browser.screenshot("platform-delete-confirmation");
            browser.clickButton("Cancel");

            // where data planes run: the stack's region local-a (zone eu), healthy, with the tenants placed in it
            browser.click("nav-platform-regions");
            browser.awaitText("Where data planes run");
            browser.awaitText("local-a");
            browser.awaitText("us-east-test");
            assertThat(browser.text()).contains("eu").contains("static");
            browser.screenshot("platform-regions");

            // the GPU pools: none in a stack of static regions, and the page says how to add one
            browser.click("nav-platform-gpu-pools");
            browser.awaitText("No GPU pools");
            browser.screenshot("platform-gpu-pools");

        }
    }

    @Test
    void aTenantAdminDeploysAnApprovedModelWithTheTenantsOwnKeyAndRemovesIt() {
        TestTenant tenant = Tenants.create("deployer");
        Person admin = Realm.createUser("deployer");
        Tenants.addMember(tenant, admin, "tenant-admin");
        Tenants.submitModelForReview(tenant, "support-llm");
        Tenants.approveModel(tenant, "support-llm");
        Tenants.putSecret(tenant, "backend-key", "sk-console-LEAKCANARY");

        try (Browser browser = new Browser(base)) {
            browser.signIn(admin.username(), Realm.PASSWORD);
            browser.click("nav-deployments");
            browser.awaitText("No deployments yet");
            browser.click("new-deployment");
            browser.type("deployment-name", "support-bot");
            assertThat(browser.byId("deployment-version").getText()).contains("support-llm@1");
            // a model server on a GPU pool needs a dedicated tenant: the API says so, and the dialog shows it
            browser.click("deployment-kind");
            browser.click(browser.<WebElement>await(d -> d.findElements(By.tagName("vaadin-select-item")).stream()
                    .filter(item -> item.getText().contains("GPU pool")).findFirst().orElse(null)));
            browser.type("deployment-gpu-pool", "l4");
            browser.click("deployment-save");
            browser.awaitText("needs a dedicated plan");
            browser.click("deployment-kind");
            browser.click(browser.<WebElement>await(d -> d.findElements(By.tagName("vaadin-select-item")).stream()
                    .filter(item -> item.getText().contains("OpenAI-compatible")).findFirst().orElse(null)));
            browser.type("deployment-url", "https://203.0.113.10/v1");
            browser.type("deployment-upstream-model", "gpt-4o-mini");
            browser.click("deployment-secret");
            WebElement key = browser.await(d -> d.findElements(By.tagName("vaadin-select-item")).stream()
                    .filter(item -> item.getText().contains("backend-key")).findFirst().orElse(null));
            browser.click(key);
            browser.screenshot("deployment-new");
            browser.click("deployment-save");
            browser.awaitText("support-bot serves support-llm@1");
            assertThat(browser.text()).contains("https://203.0.113.10/v1").contains("backend-key").doesNotContain("LEAKCANARY");
            browser.screenshot("deployments");
            assertThat(Tenants.deployments(tenant)).contains("\"name\":\"support-bot\"").contains("\"apiKeySecret\":\"backend-key\"")
                    .contains("\"version\":\"1\"");

            // a canary to version 2: started here, both versions' figures side by side, rolled back by hand
            Tenants.approveVersion(tenant, "support-llm", "2");
            WebElement rollout = browser.await(d -> d.findElements(By.cssSelector(".rollout-support-bot")).stream().findFirst().orElse(null));
            browser.click(rollout);
            browser.awaitText("No rollout yet");
            browser.click("rollout-start");
            assertThat(browser.byId("rollout-version").getText()).contains("2");
            browser.type("rollout-steps", "20, 100");
            browser.type("rollout-upstream-model", "gpt-4.1-mini");
            browser.screenshot("rollout-start");
            browser.click("rollout-save");
            browser.awaitText("canary to version 2 started");
            browser.awaitText("step 1 of 2: 20% to version 2");
            Tenants.reportRollout(tenant, "support-bot", "2", "candidate", 4, 1);
            Tenants.reportRollout(tenant, "support-bot", "1", "stable", 16, 0);
            browser.awaitText("25.0%");
            assertThat(browser.byId("rollout-metrics").getText()).contains("candidate 2").contains("stable 1");
            browser.screenshot("rollout-running");
            browser.click("rollout-rollback");
            browser.awaitText("support-bot rolled back");
            browser.awaitText("ROLLED_BACK");
            assertThat(browser.byId("rollout-decisions").getText()).contains("start").contains("rollback");
            browser.screenshot("rollout-rolled-back");
            assertThat(Tenants.deployments(tenant)).contains("\"version\":\"1\"");
            browser.click("nav-deployments");
            browser.awaitText("support-bot");

            WebElement remove = browser.await(d -> d.findElements(By.cssSelector(".remove-support-bot")).stream().findFirst().orElse(null));
            browser.click(remove);
            browser.clickButton("Remove deployment");
            browser.awaitText("No deployments yet");
        }
        assertThat(Tenants.deployments(tenant)).doesNotContain("support-bot");
    }

    @Test
    void aPlatformComplianceOfficerReviewsAPlatformWideModel() {
        Person reviewer = Realm.createPlatformReviewer();
        String model = "shared-embedder-" + Long.toString(System.nanoTime(), 36);
        Tenants.submitPlatformModelForReview(model);
        try (Browser browser = new Browser(base)) {
            browser.signIn(reviewer.username(), Realm.PASSWORD);
            browser.click("nav-platform-models");
            WebElement row = browser.await(d -> d.findElements(By.xpath("//vaadin-grid-cell-content[text()='" + model + "']"))
                    .stream().findFirst().orElse(null));
            browser.click(row);
            browser.clickButton("Review");
            browser.awaitText("Answers support questions");
            browser.type("review-comment", "Shared embedder card reviewed.");
            browser.screenshot("platform-model-review");
            browser.clickButton("Approve");
            browser.awaitText("approved");
            assertThat(browser.all(By.id("register-model"))).as("reviewers do not register platform models")
                    .allMatch(button -> !button.isDisplayed());
        }
        assertThat(Tenants.platformModelVersion(model)).contains("\"status\":\"APPROVED\"").contains("Shared embedder card reviewed.");
    }
}
