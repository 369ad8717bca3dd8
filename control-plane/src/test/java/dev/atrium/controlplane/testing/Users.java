package dev.atrium.controlplane.testing;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.ConfigProvider;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import dev.atrium.controlplane.testing.Api.TestTenant;

/** People in the test Keycloak: created through its admin API, signed in through its token endpoint. */
public final class Users {

    public static final String PASSWORD = "correct-horse-battery";

    private Users() {
    }

    public record TestUser(String id, String username) {
        public String token() {
            return Users.token(username, PASSWORD);
        }

        /** A token whose only audience is the data plane, as the console's token exchange produces. */
        public String dataPlaneToken() {
            return Users.dataPlaneToken(username, PASSWORD);
        }
    }

    public static TestUser create(String prefix) {
        String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEmail(username + "@example.com");
        user.setFirstName(prefix);
        user.setLastName("Tester");
        user.setEnabled(true);
        user.setEmailVerified(true);
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue(PASSWORD);
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        try (Response response = realm().users().create(user)) {
            if (response.getStatus() != 201) {
                throw new IllegalStateException("could not create user " + username + ": HTTP " + response.getStatus());
            }
        }
        return new TestUser(realm().users().searchByUsername(username, true).getFirst().getId(), username);
    }

    public static TestUser platformAdmin() {
        return withRealmRole(create("operator"), "platform-admin");
    }

    /** A person holding platform-compliance-officer: reviews platform-wide models, exports any tenant's trail. */
    public static TestUser platformComplianceOfficer() {
        return withRealmRole(create("platform-reviewer"), "platform-compliance-officer");
    }

    public static TestUser withRealmRole(TestUser user, String role) {
        realm().users().get(user.id()).roles().realmLevel().add(List.of(realm().roles().get(role).toRepresentation()));
        return user;
    }

    /** A new person added to the tenant with a role by the platform admin (the direct add only platform admins have). */
    public static TestUser member(TestTenant tenant, String role) {
        TestUser user = create(role.replace("-", ""));
        Api.asPlatformAdmin().body(Map.of("userId", user.id(), "role", role)).post(tenant.path() + "/members")
                .then().statusCode(201);
        return user;
    }

    /** The access token of a new compliance officer of the tenant (reviewer rights belong to people, not keys). */
    public static String complianceOfficer(TestTenant tenant) {
        return member(tenant, "compliance-officer").token();
    }

    /** Signs in with the password grant of the atrium-cli client (direct access grants are on for the CLI). */
    public static String token(String username, String password) {
        return given().formParam("grant_type", "password").formParam("client_id", "atrium-cli")
                .formParam("username", username).formParam("password", password).formParam("scope", "openid")
                .post(keycloakUrl() + "/realms/atrium/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /**
     * Puts the person in a Keycloak group and makes the CLI client's tokens carry a {@code groups} claim, as realms
     * that map groups do (Quarkus would read roles from such a claim unless told otherwise).
     */
    public static void withGroupsClaim(TestUser user, String group) {
        RealmResource realm = realm();
        if (realm.groups().groups(group, true, 0, 1, true).isEmpty()) {
            GroupRepresentation representation = new GroupRepresentation();
            representation.setName(group);
            realm.groups().add(representation).close();
        }
        String groupId = realm.groups().groups(group, true, 0, 1, true).getFirst().getId();
        realm.users().get(user.id()).joinGroup(groupId);
        var cli = realm.clients().findByClientId("atrium-cli").getFirst();
        var client = realm.clients().get(cli.getId());
        if (client.getProtocolMappers().getMappers().stream().noneMatch(m -> "groups".equals(m.getName()))) {
            ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
            mapper.setName("groups");
            mapper.setProtocol("openid-connect");
            mapper.setProtocolMapper("oidc-group-membership-mapper");
            mapper.setConfig(Map.of("claim.name", "groups", "full.path", "true", "access.token.claim", "true"));
            client.getProtocolMappers().createMapper(mapper).close();
        }
    }

    /** The claims of an access token (read without verification, for assertions about what it carries). */
    public static Map<String, Object> claims(String token) {
        try {
            byte[] payload = java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]);
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(payload, new com.fasterxml.jackson.core.type.TypeReference<>() {
            });
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String DATA_PLANE_AUDIENCE_CLIENT = "atrium-test-data-plane-audience";

    /**
     * Signs in through a test-only client whose tokens carry only the data plane's audience: the kind of token the
     * console's token exchange hands a data plane (the exchange itself is exercised by the console's browser tests).
     */
    public static String dataPlaneToken(String username, String password) {
        RealmResource realm = realmAsMasterAdmin();
        if (realm.clients().findByClientId(DATA_PLANE_AUDIENCE_CLIENT).isEmpty()) {
            org.keycloak.representations.idm.ClientRepresentation client = new org.keycloak.representations.idm.ClientRepresentation();
            client.setClientId(DATA_PLANE_AUDIENCE_CLIENT);
            client.setPublicClient(true);
            client.setDirectAccessGrantsEnabled(true);
            client.setStandardFlowEnabled(false);
            ProtocolMapperRepresentation audience = new ProtocolMapperRepresentation();
            audience.setName("atrium-data-plane audience");
            audience.setProtocol("openid-connect");
            audience.setProtocolMapper("oidc-audience-mapper");
            audience.setConfig(Map.of("included.client.audience", "atrium-data-plane", "access.token.claim", "true"));
            client.setProtocolMappers(List.of(audience));
            realm.clients().create(client).close();
        }
        return given().formParam("grant_type", "password").formParam("client_id", DATA_PLANE_AUDIENCE_CLIENT)
                .formParam("username", username).formParam("password", password).formParam("scope", "openid")
                .post(keycloakUrl() + "/realms/atrium/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    public static String keycloakUrl() {
        return ConfigProvider.getConfig().getValue(KeycloakTestResource.URL_PROPERTY, String.class);
    }

    /** The atrium realm through the master realm's admin (the control plane's own account may only read). */
    public static RealmResource realmAsMasterAdmin() {
        return org.keycloak.admin.client.KeycloakBuilder.builder().serverUrl(keycloakUrl()).realm("master")
                .clientId("admin-cli").username("admin")
                .password(ConfigProvider.getConfig().getValue(KeycloakTestResource.ADMIN_PASSWORD_PROPERTY, String.class))
                .grantType("password").build().realm("atrium");
    }

    public static RealmResource realm() {
        return realmAsMasterAdmin();
    }
}
