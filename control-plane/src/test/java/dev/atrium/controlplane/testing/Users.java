package dev.atrium.controlplane.testing;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.atrium.controlplane.member.KeycloakAdmin;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/** People in the test Keycloak: created through its admin API, signed in through its token endpoint. */
public final class Users {

    public static final String PASSWORD = "correct-horse-battery";

    private Users() {
    }

    public record TestUser(String id, String username) {
        public String token() {
            return Users.token(username, PASSWORD);
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
        TestUser user = create("operator");
        realm().users().get(user.id()).roles().realmLevel()
                .add(List.of(realm().roles().get("platform-admin").toRepresentation()));
        return user;
    }

    /** Signs in with the password grant of the atrium-cli client (direct access grants are on for the CLI). */
    public static String token(String username, String password) {
        return given().formParam("grant_type", "password").formParam("client_id", "atrium-cli")
                .formParam("username", username).formParam("password", password).formParam("scope", "openid")
                .post(keycloakUrl() + "/realms/atrium/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    public static String dataPlaneToken() {
        return given().formParam("grant_type", "client_credentials").formParam("client_id", "atrium-data-plane")
                .formParam("client_secret", "atrium-data-plane-local-secret")
                .post(keycloakUrl() + "/realms/atrium/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    public static String keycloakUrl() {
        return ConfigProvider.getConfig().getValue(KeycloakTestResource.URL_PROPERTY, String.class);
    }

    /** The atrium realm through the master realm's admin (for set-up beyond the control plane's permissions). */
    public static RealmResource realmAsMasterAdmin() {
        return org.keycloak.admin.client.KeycloakBuilder.builder().serverUrl(keycloakUrl()).realm("master")
                .clientId("admin-cli").username("admin")
                .password(ConfigProvider.getConfig().getValue(KeycloakTestResource.ADMIN_PASSWORD_PROPERTY, String.class))
                .grantType("password").build().realm("atrium");
    }

    public static RealmResource realm() {
        return CDI.current().select(KeycloakAdmin.class).get().realm();
    }
}
