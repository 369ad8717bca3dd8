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
import java.util.Map;

import jakarta.inject.Inject;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.audit.digest.AuditDigests;
import dev.atrium.controlplane.audit.retention.AuditRetention;
import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.Api;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;
import dev.atrium.controlplane.testing.Users;

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
        String officer = Users.complianceOfficer(tenant);
        as(apiKey(tenant, "audit:read")).body(Map.of("retentionDays", 730, "legalHold", false)).put(tenant.path() + "/audit-retention")
                .then().statusCode(403);
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
        ExpiredChain chain = ExpiredChain.create(6);
        digests.writeDue(Duration.ZERO, 3);
        // a recent event, through the API: it is inside the retention period and stays
        as(Users.platformComplianceOfficer().token()).body(Map.of("retentionDays", 400, "legalHold", false))
                .put(chain.path() + "/audit-retention")
                .then().statusCode(200);
        digests.writeDue(Duration.ZERO, 1000);
        assertThat(chain.digestBoundaries()).contains(6L);
        assertThat(chain.events()).isEqualTo(7);

        assertThat(retention.purgeExpired()).isGreaterThanOrEqualTo(6);
        // events 1..6 are gone; the recent event and the purge's own event remain
        assertThat(chain.events()).isEqualTo(2);
        assertThat(chain.single("SELECT min(sequence) FROM audit_event WHERE chain_id = '" + chain.chainId() + "'")).isEqualTo(7);
        asPlatformAdmin().queryParam("tenantId", chain.tenantId()).queryParam("action", "audit.purge").get("/api/v1/audit/events")
                .then().body("items[0].outcome", equalTo("SUCCESS"))
                .body("items[0].after.purgedThrough", equalTo(6))
                .body("items[0].after.deletedEvents", equalTo(6))
                .body("items[0].after.anchorHash", equalTo(chain.hashOf(6)));
        assertThat(chain.single("SELECT count(*) FROM audit_purge WHERE chain_id = '" + chain.chainId()
                + "' AND purged_from = 1 AND purged_through = 6 AND deleted_events = 6 AND anchor_hash = '" + chain.hashOf(6) + "'"))
                .isEqualTo(1);
        asPlatformAdmin().queryParam("tenantId", chain.tenantId()).get("/api/v1/audit/verify").then()
                .body("valid", equalTo(true)).body("verified", equalTo(2)).body("digests.valid", equalTo(true));

        // the purge event gets its digest like any other event, and a second run finds nothing more to purge
        digests.writeDue(Duration.ZERO, 1000);
        retention.purgeExpired();
        assertThat(chain.events()).isEqualTo(2);
        asPlatformAdmin().queryParam("tenantId", chain.tenantId()).get("/api/v1/audit/verify").then()
                .body("valid", equalTo(true)).body("digests.valid", equalTo(true));
    }

    @Test
    void recentEventsAreNeverPurged() {
        TestTenant tenant = activeTenant("recent");
        rename(tenant, 3);
        digests.writeDue(Duration.ZERO, 2);
        long before = events(tenant);
        retention.purgeExpired();
        assertThat(events(tenant)).isEqualTo(before);
        asPlatformAdmin().queryParam("tenantId", tenant.id()).get("/api/v1/audit/verify").then().body("valid", equalTo(true));
    }

    @Test
    void aLegalHoldBlocksPurgingEvenInTheDatabase() throws Exception {
        ExpiredChain chain = ExpiredChain.create(4);
        digests.writeDue(Duration.ZERO, 2);
        as(Users.platformComplianceOfficer().token()).body(Map.of("retentionDays", 400, "legalHold", true, "holdReason", "litigation 2026-17"))
                .put(chain.path() + "/audit-retention").then().statusCode(200).body("legalHold", equalTo(true));
        long before = chain.events();
        retention.purgeExpired();
        assertThat(chain.events()).isEqualTo(before);

        // the database refuses too, whoever calls the purge function
        try (Connection app = Api.appConnection(); Statement statement = app.createStatement()) {
            Api.scope(app, "*");
            assertThatThrownBy(() -> statement.execute("SELECT atrium_purge_audit('" + chain.chainId() + "', 4)"))
                    .hasMessageContaining("legal hold");
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM audit_event WHERE chain_id = '" + chain.chainId() + "'"))
                    .hasMessageContaining("permission denied");
        }
        assertThat(chain.events()).isEqualTo(before);
        as(Users.platformComplianceOfficer().token()).body(Map.of("retentionDays", 400, "legalHold", false))
                .put(chain.path() + "/audit-retention")
                .then().statusCode(200);
        assertThat(retention.purgeExpired()).isGreaterThanOrEqualTo(4);
        assertThat(chain.single("SELECT count(*) FROM audit_event WHERE chain_id = '" + chain.chainId() + "' AND sequence <= 4"))
                .isZero();
        assertThat(asPlatformAdmin().queryParam("tenantId", chain.tenantId()).get("/api/v1/audit/events").jsonPath()
                .getList("items.action")).contains("audit.legal-hold.set", "audit.legal-hold.release", "audit.purge");
        asPlatformAdmin().queryParam("tenantId", chain.tenantId()).get("/api/v1/audit/verify").then().body("valid", equalTo(true));
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
