package dev.atrium.controlplane.security;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.auth.AccessPolicy;
import dev.atrium.controlplane.identity.ActorType;
import dev.atrium.controlplane.identity.Caller;
import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;
import dev.atrium.controlplane.testing.Users;
import dev.atrium.tenancy.Role;
import dev.atrium.tenancy.Scope;

/**
 * Reviewer rights (model approvals, exports, retention and legal holds) belong to people holding a compliance role,
 * never to an API key and never to the platform-admin role; and a key's scopes never exceed its creator's rights.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class SeparationOfDutiesTest {

    @Test
    void aCreatorsKeysLoseWhatTheirNewRoleNoLongerGrants() {
        TestTenant tenant = activeTenant("sod-demoted");
        Users.member(tenant, "tenant-admin");
        Users.TestUser person = Users.member(tenant, "tenant-admin");
        String adminKey = as(person.token()).body(Map.of("name", "mine", "scopes", List.of("admin")))
                .post(tenant.path() + "/api-keys").then().statusCode(201).extract().path("secret");
        // keys made by that key are the person's too
        String madeByKeyAdmin = as(adminKey).body(Map.of("name", "made-admin", "scopes", List.of("admin")))
                .post(tenant.path() + "/api-keys").then().statusCode(201).extract().path("secret");
        String madeByKeyQuery = as(adminKey).body(Map.of("name", "made-query", "scopes", List.of("rag:query")))
                .post(tenant.path() + "/api-keys").then().statusCode(201).extract().path("secret");
        String otherAdminsKey = apiKey(tenant, "admin");

        asPlatformAdmin().body(Map.of("role", "tenant-member")).patch(tenant.path() + "/members/" + person.id()).then().statusCode(200);
        as(adminKey).get(tenant.path()).then().statusCode(401);
        as(madeByKeyAdmin).get(tenant.path()).then().statusCode(401);
        as(madeByKeyQuery).get(tenant.path()).then().statusCode(200);
        as(otherAdminsKey).get(tenant.path()).then().statusCode(200);
        asPlatformAdmin().queryParam("tenantId", tenant.id().toString()).queryParam("actor", "system:creator-rights-changed")
                .get("/api/v1/audit/events").then().statusCode(200).body("items.size()", equalTo(2))
                .body("items[0].action", equalTo("apikey.revoke"));

        asPlatformAdmin().delete(tenant.path() + "/members/" + person.id()).then().statusCode(204);
        as(madeByKeyQuery).get(tenant.path()).then().statusCode(401);
        as(otherAdminsKey).get(tenant.path()).then().statusCode(200);
    }

    @Test
    void anAuditReadKeyReadsTheTrailAndNothingMore() {
        TestTenant tenant = activeTenant("sod-key");
        String admin = apiKey(tenant, "admin");
        // a tenant admin may mint audit:read (it reads the trail too), but the key holds no reviewer right
        String auditKey = as(admin).body(Map.of("name", "reader", "scopes", List.of("audit:read")))
                .post(tenant.path() + "/api-keys").then().statusCode(201).extract().path("secret");
        as(auditKey).queryParam("tenantId", tenant.id()).get("/api/v1/audit/events").then().statusCode(200);
        as(auditKey).queryParam("tenantId", tenant.id()).get("/api/v1/audit/verify").then().statusCode(200);
        as(auditKey).body(Map.of("tenantId", tenant.id().toString(), "format", "jsonl")).post("/api/v1/audit/exports")
                .then().statusCode(403);
        as(auditKey).body(Map.of("retentionDays", 400, "legalHold", false)).put(tenant.path() + "/audit-retention")
                .then().statusCode(403);
        as(auditKey).get(tenant.path() + "/audit-retention").then().statusCode(403);
        // nor does a platform admin, who may read the policy but not change it or export
        asPlatformAdmin().get(tenant.path() + "/audit-retention").then().statusCode(200);
        asPlatformAdmin().body(Map.of("retentionDays", 400, "legalHold", false)).put(tenant.path() + "/audit-retention")
                .then().statusCode(403);

        String officer = Users.complianceOfficer(tenant);
        as(officer).body(Map.of("retentionDays", 500, "legalHold", true, "holdReason", "litigation 42"))
                .put(tenant.path() + "/audit-retention").then().statusCode(200).body("legalHold", equalTo(true));
        as(auditKey).body(Map.of("retentionDays", 400, "legalHold", false)).put(tenant.path() + "/audit-retention")
                .then().statusCode(403);
        as(officer).get(tenant.path() + "/audit-retention").then().statusCode(200).body("legalHold", equalTo(true));
    }

    @Test
    void aPlatformComplianceOfficerExportsAndTheyAreAuditedAsAPerson() {
        TestTenant tenant = activeTenant("sod-platform");
        String reviewer = Users.platformComplianceOfficer().token();
        as(reviewer).body(Map.of("tenantId", tenant.id().toString(), "format", "jsonl")).post("/api/v1/audit/exports")
                .then().statusCode(202);
        as(reviewer).body(Map.of("tenantId", "platform", "format", "jsonl")).post("/api/v1/audit/exports").then().statusCode(202);
        asPlatformAdmin().body(Map.of("tenantId", "platform", "format", "jsonl")).post("/api/v1/audit/exports").then().statusCode(403);
        // reading what the platform publishes, not administering it
        as(reviewer).get("/api/v1/platform/models").then().statusCode(200);
        as(reviewer).body(Map.of("name", "nope", "type", "llm")).post("/api/v1/platform/models").then().statusCode(403);
        as(reviewer).get("/api/v1/tenants").then().statusCode(403);
    }

    @Test
    void aKeysScopesNeverExceedItsCreatorsRights() {
        AccessPolicy policy = new AccessPolicy();
        UUID tenant = UUID.randomUUID();
        Caller queryKey = new Caller("apikey:" + UUID.randomUUID(), ActorType.API_KEY, tenant, true, Set.of(),
                Map.of(tenant, EnumSet.of(Role.TENANT_MEMBER)), EnumSet.of(Scope.RAG_QUERY, Scope.MODELS_INVOKE), 1, 1, null);
        assertThat(policy.grantableScopes(queryKey, tenant)).containsExactlyInAnyOrder(Scope.RAG_QUERY, Scope.MODELS_INVOKE);
        Caller adminKey = new Caller("apikey:" + UUID.randomUUID(), ActorType.API_KEY, tenant, true, Set.of(),
                Map.of(tenant, EnumSet.of(Role.TENANT_MEMBER, Role.TENANT_ADMIN)), EnumSet.of(Scope.ADMIN), 1, 1, null);
        assertThat(policy.grantableScopes(adminKey, tenant)).containsExactlyInAnyOrder(Scope.values());
        Caller officer = new Caller("user:x", ActorType.USER, null, true, Set.of(),
                Map.of(tenant, EnumSet.of(Role.COMPLIANCE_OFFICER)), Set.of(), 1, 1, null);
        assertThat(policy.grantableScopes(officer, tenant)).containsExactlyInAnyOrder(Scope.RAG_QUERY, Scope.AUDIT_READ);
        assertThat(policy.grantableScopes(officer, UUID.randomUUID())).isEmpty();
        Caller member = new Caller("user:y", ActorType.USER, null, true, Set.of(),
                Map.of(tenant, EnumSet.of(Role.TENANT_MEMBER)), Set.of(), 1, 1, null);
        assertThat(policy.grantableScopes(member, tenant)).doesNotContain(Scope.ADMIN, Scope.AUDIT_READ, Scope.RAG_INGEST);
    }
}
