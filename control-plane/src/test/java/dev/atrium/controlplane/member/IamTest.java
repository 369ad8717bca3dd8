package dev.atrium.controlplane.member;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;
import dev.atrium.controlplane.testing.Users;
import dev.atrium.controlplane.testing.Users.TestUser;

/** Identity end to end against the real Keycloak: tokens, organisations, members, /me, the data-plane identity. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class IamTest {

    @Inject
    LoginEventImporter loginEvents;

    @Test
    void aTenantIsAKeycloakOrganisationWithRoleGroups() {
        TestTenant tenant = activeTenant("org");
        var organisations = Users.realm().organizations().search(tenant.slug(), true, 0, 10);
        assertThat(organisations).extracting(o -> o.getAlias()).containsExactly(tenant.slug());
        var tenantsGroup = Users.realm().groups().groups("tenants", true, 0, 10, true).getFirst();
        var groups = Users.realm().groups().group(tenantsGroup.getId())
                .getSubGroups(tenant.id().toString(), true, 0, 10, true);
        assertThat(groups).hasSize(1);
        assertThat(Users.realm().groups().group(groups.getFirst().getId()).getSubGroups(0, 10, true))
                .extracting(g -> g.getName()).containsExactlyInAnyOrder("tenant-admin", "tenant-member", "compliance-officer");

        asPlatformAdmin().post(tenant.path() + ":suspend").then().statusCode(200);
        asPlatformAdmin().delete(tenant.path()).then().statusCode(202);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(Users.realm().organizations().search(tenant.slug(), true, 0, 10)).isEmpty());
    }

    @Test
    void aPlatformAdminSignsInWithKeycloakAndUsesTheApi() {
        TestUser operator = Users.platformAdmin();
        String token = operator.token();
        as(token).get("/api/v1/tenants").then().statusCode(200);
        as(token).get("/api/v1/me").then().statusCode(200)
                .body("id", equalTo("user:" + operator.id()))
                .body("type", equalTo("user"))
                .body("platformAdmin", equalTo(true));
        String id = as(token).body(Map.of("slug", "by-user-" + operator.id().substring(0, 6), "displayName", "By a user"))
                .post("/api/v1/tenants").then().statusCode(201).extract().path("id");
        asPlatformAdmin().queryParam("tenantId", id).queryParam("action", "tenant.create").get("/api/v1/audit/events")
                .then().body("items[0].actor.id", equalTo("user:" + operator.id())).body("items[0].actor.type", equalTo("user"));
    }

    @Test
    void membersGetRolesThatTheirTokensCarry() {
        TestTenant tenant = activeTenant("members");
        TestTenant other = activeTenant("members-other");
        TestUser alice = Users.create("alice");

        as(alice.token()).get(tenant.path()).then().statusCode(404);
        asPlatformAdmin().body(Map.of("userId", alice.id(), "role", "tenant-admin")).post(tenant.path() + "/members")
                .then().statusCode(201).body("userId", equalTo(alice.id())).body("role", equalTo("tenant-admin"))
                .body("status", equalTo("ACTIVE"));
        String adminToken = alice.token();
        as(adminToken).get(tenant.path() + "/api-keys").then().statusCode(200);
        as(adminToken).get(tenant.path() + "/members").then().statusCode(200).body("items.userId", hasItem(alice.id()));
        as(adminToken).get(other.path()).then().statusCode(404);
        as(adminToken).get("/api/v1/me").then()
                .body("platformAdmin", equalTo(false))
                .body("tenants[0].id", equalTo(tenant.id().toString()))
                .body("tenants[0].slug", equalTo(tenant.slug()))
                .body("tenants[0].roles", equalTo(List.of("tenant-admin")));

        as(adminToken).body(Map.of("role", "tenant-member")).patch(tenant.path() + "/members/" + alice.id())
                .then().statusCode(200).body("role", equalTo("tenant-member"));
        String memberToken = alice.token();
        as(memberToken).get(tenant.path() + "/api-keys").then().statusCode(403);
        as(memberToken).get(tenant.path()).then().statusCode(200);

        asPlatformAdmin().delete(tenant.path() + "/members/" + alice.id()).then().statusCode(204);
        as(alice.token()).get(tenant.path()).then().statusCode(404);
        assertThat(asPlatformAdmin().queryParam("tenantId", tenant.id()).get("/api/v1/audit/events")
                .jsonPath().getList("items.action")).contains("member.add", "member.role.change", "member.remove");
    }

    @Test
    void invitingByEmailCreatesAnAccountToClaim() {
        TestTenant tenant = activeTenant("invite");
        String email = "new-" + tenant.slug() + "@example.com";
        String userId = asPlatformAdmin().body(Map.of("email", email, "firstName", "New", "lastName", "Person",
                        "role", "compliance-officer"))
                .post(tenant.path() + "/members").then().statusCode(201)
                .body("email", equalTo(email)).body("status", equalTo("INVITED")).body("role", equalTo("compliance-officer"))
                .extract().path("userId");
        asPlatformAdmin().get(tenant.path() + "/members").then().body("items.userId", hasItem(userId));
        assertThat(Users.realm().users().get(userId).toRepresentation().getRequiredActions())
                .contains("UPDATE_PASSWORD", "VERIFY_EMAIL");
    }

    @Test
    void memberRequestsAreValidated() {
        TestTenant tenant = activeTenant("memval");
        TestTenant other = activeTenant("memval-other");
        TestUser bob = Users.create("bob");
        asPlatformAdmin().body(Map.of("role", "tenant-admin")).post(tenant.path() + "/members").then().statusCode(400);
        asPlatformAdmin().body(Map.of("userId", bob.id(), "email", "b@example.com", "role", "tenant-admin"))
                .post(tenant.path() + "/members").then().statusCode(400);
        asPlatformAdmin().body(Map.of("userId", bob.id(), "role", "platform-admin")).post(tenant.path() + "/members")
                .then().log().ifValidationFails().statusCode(422).body("errors[0].field", equalTo("role"));
        asPlatformAdmin().body(Map.of("email", "not-an-email", "role", "tenant-member")).post(tenant.path() + "/members")
                .then().statusCode(400).body("errors[0].field", equalTo("email"));
        asPlatformAdmin().body(Map.of("userId", "00000000-0000-0000-0000-000000000000", "role", "tenant-member"))
                .post(tenant.path() + "/members").then().statusCode(422);
        asPlatformAdmin().body(Map.of("role", "tenant-admin")).patch(tenant.path() + "/members/" + bob.id()).then().statusCode(404);
        asPlatformAdmin().delete(tenant.path() + "/members/" + bob.id()).then().statusCode(404);

        asPlatformAdmin().body(Map.of("userId", bob.id(), "role", "tenant-admin")).post(other.path() + "/members").then().statusCode(201);
        as(bob.token()).body(Map.of("userId", bob.id(), "role", "tenant-admin")).post(tenant.path() + "/members").then().statusCode(404);
        as(bob.token()).get(tenant.path() + "/members").then().statusCode(404);
    }

    @Test
    void suspendedTenantsAreClosedToTheirUsers() {
        TestTenant tenant = activeTenant("user-susp");
        TestUser carol = Users.create("carol");
        asPlatformAdmin().body(Map.of("userId", carol.id(), "role", "tenant-admin")).post(tenant.path() + "/members").then().statusCode(201);
        String token = carol.token();
        as(token).get(tenant.path()).then().statusCode(200);
        asPlatformAdmin().post(tenant.path() + ":suspend").then().statusCode(200);
        as(token).get(tenant.path()).then().statusCode(403).body("type", containsString("tenant-suspended"));
    }

    @Test
    void theDataPlaneIdentityReachesOnlyTheInternalApi() {
        TestTenant tenant = activeTenant("dp-token");
        asPlatformAdmin().body(Map.of("value", "for the data plane")).put(tenant.path() + "/secrets/upstream").then().statusCode(201);
        String token = Users.dataPlaneToken();
        as(token).header("X-Atrium-Region", "local-b").get("/internal/v1/tenants/" + tenant.id() + "/secrets/upstream")
                .then().statusCode(200).body("value", equalTo("for the data plane"));
        as(token).get(tenant.path()).then().statusCode(403);
        as(Users.platformAdmin().token()).get("/internal/v1/tenants/" + tenant.id() + "/secrets/upstream").then().statusCode(403);
        asPlatformAdmin().queryParam("tenantId", tenant.id()).queryParam("action", "secret.read").get("/api/v1/audit/events")
                .then().body("items[0].actor.id", equalTo("service:atrium-data-plane"))
                .body("items[0].after.region", equalTo("local-b"));
    }

    @Test
    void forgedOrWrongAudienceTokensAre401() {
        String token = Users.platformAdmin().token();
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        as(forged).get("/api/v1/tenants").then().statusCode(401);
        as("not.a.jwt").get("/api/v1/tenants").then().statusCode(401);
        given().header("Authorization", "Bearer ").get("/api/v1/tenants").then().statusCode(401);
    }

    @Test
    void failedKeycloakLoginsReachTheAuditTrail() {
        TestUser dave = Users.create("dave");
        given().formParam("grant_type", "password").formParam("client_id", "atrium-cli")
                .formParam("username", dave.username()).formParam("password", "wrong-password")
                .post(Users.keycloakUrl() + "/realms/atrium/protocol/openid-connect/token").then()
                .statusCode(org.hamcrest.Matchers.oneOf(400, 401)).body("error", equalTo("invalid_grant"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            loginEvents.importSince(LocalDate.now(ZoneOffset.UTC).minusDays(1));
            asPlatformAdmin().queryParam("tenantId", "platform").queryParam("actor", "user:" + dave.id())
                    .get("/api/v1/audit/events").then()
                    .body("items[0].action", equalTo("auth.failed"))
                    .body("items[0].detail", containsString("LOGIN_ERROR"))
                    .body("items[0].outcome", equalTo("FAILURE"));
        });
        int again = loginEvents.importSince(LocalDate.now(ZoneOffset.UTC).minusDays(1));
        assertThat(again).as("each Keycloak event is imported once").isZero();
        asPlatformAdmin().queryParam("tenantId", "platform").queryParam("actor", "user:" + dave.id()).get("/api/v1/audit/events")
                .then().body("items.size()", equalTo(1)).body("items.detail", not(hasItem(containsString("wrong-password"))));
    }
}
