package dev.atrium.controlplane.audit;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.audit.digest.AuditDigests;
import dev.atrium.controlplane.audit.retention.AuditRetention;
import dev.atrium.controlplane.testing.Api;
import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;

@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class AuditRetentionTest {

    @Inject
    AuditDigests digests;

    @Inject
    AuditRetention retention;

    @Test
    void retentionDefaultsTo400DaysAndIsValidated() {
        TestTenant tenant = activeTenant("ret");
        String officer = apiKey(tenant, "audit:read");
        as(officer).get(tenant.path() + "/audit-retention").then().statusCode(200)
                .body("retentionDays", equalTo(400)).body("legalHold", equalTo(false));
        as(officer).body(Map.of("retentionDays", 30, "legalHold", false)).put(tenant.path() + "/audit-retention")
                .then().statusCode(400).body("errors[0].field", equalTo("retentionDays"));
        as(officer).body(Map.of("retentionDays", 500, "legalHold", true)).put(tenant.path() + "/audit-retention")
                .then().statusCode(400).body("errors[0].field", equalTo("holdReason"));
        as(officer).body(Map.of("retentionDays", 730, "legalHold", false)).put(tenant.path() + "/audit-retention")
                .then().statusCode(200).body("retentionDays", equalTo(730));
        as(apiKey(tenant, "admin")).get(tenant.path() + "/audit-retention").then().statusCode(403);
        assertThat(asPlatformAdmin().queryParam("tenantId", tenant.id()).get("/api/v1/audit/events").jsonPath()
                .getList("items.action")).contains("audit.retention.update");
    }

    @Test
    void expiredDigestedEventsArePurgedAndTheChainStillVerifies() {
        TestTenant tenant = activeTenant("purge");
        rename(tenant, 4);
        digests.writeDue(Duration.ZERO, 3);
        long before = events(tenant);

        int purged = retention.purgeExpired(Instant.now().plus(Duration.ofDays(401)));
        assertThat(purged).isPositive();
        long after = events(tenant);
        assertThat(after).isLessThan(before);
        asPlatformAdmin().queryParam("tenantId", tenant.id()).queryParam("action", "audit.purge").get("/api/v1/audit/events")
                .then().body("items[0].outcome", equalTo("SUCCESS"));
        asPlatformAdmin().queryParam("tenantId", tenant.id()).get("/api/v1/audit/verify").then()
                .body("valid", equalTo(true)).body("digests.valid", equalTo(true));
    }

    @Test
    void aLegalHoldBlocksPurgingEvenInTheDatabase() throws Exception {
        TestTenant tenant = activeTenant("hold");
        rename(tenant, 3);
        digests.writeDue(Duration.ZERO, 2);
        asPlatformAdmin().body(Map.of("retentionDays", 400, "legalHold", true, "holdReason", "litigation 2026-17"))
                .put(tenant.path() + "/audit-retention").then().statusCode(200).body("legalHold", equalTo(true));
        long before = events(tenant);
        retention.purgeExpired(Instant.now().plus(Duration.ofDays(1000)));
        assertThat(events(tenant)).isEqualTo(before);

        // the database refuses too, whoever calls the purge function
        try (Connection app = Api.appConnection(); Statement statement = app.createStatement()) {
            statement.execute("SELECT set_config('atrium.tenant_scope', '*', false)");
            assertThatThrownBy(() -> statement.execute("SELECT atrium_purge_audit('" + tenant.id() + "', 2)"))
                    .hasMessageContaining("legal hold");
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM audit_event WHERE chain_id = '" + tenant.id() + "'"))
                    .hasMessageContaining("permission denied");
        }
        asPlatformAdmin().body(Map.of("retentionDays", 400, "legalHold", false)).put(tenant.path() + "/audit-retention")
                .then().statusCode(200);
        assertThat(retention.purgeExpired(Instant.now().plus(Duration.ofDays(1000)))).isPositive();
        assertThat(asPlatformAdmin().queryParam("tenantId", tenant.id()).get("/api/v1/audit/events").jsonPath()
                .getList("items.action")).contains("audit.legal-hold.release", "audit.purge");
    }

    private static void rename(TestTenant tenant, int times) {
        for (int i = 0; i < times; i++) {
            asPlatformAdmin().body(Map.of("displayName", "Name " + i)).patch(tenant.path()).then().statusCode(200);
        }
    }

    private static long events(TestTenant tenant) {
        try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement();
             var rows = statement.executeQuery("SELECT count(*) FROM audit_event WHERE chain_id = '" + tenant.id() + "'")) {
            rows.next();
            return rows.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
