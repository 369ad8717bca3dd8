package dev.atrium.controlplane.audit;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.audit.digest.AuditDigests;
import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.Api;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;

@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class AuditDigestTest {

    @Inject
    AuditDigests digests;

    @Test
    void digestsAreSignedLinkedAndVerifiableWithThePublishedKey() throws Exception {
        TestTenant tenant = activeTenant("digest");
        rename(tenant, 3);
        digests.writeDue(Duration.ZERO, 1000);
        rename(tenant, 2);
        digests.writeDue(Duration.ZERO, 1000);

        JsonPath list = asPlatformAdmin().queryParam("tenantId", tenant.id()).get("/api/v1/audit/digests")
                .then().statusCode(200).extract().jsonPath();
        assertThat(list.getList("items")).hasSize(2);
        assertThat(list.getLong("items[0].firstSequence")).isEqualTo(1);
        assertThat(list.getLong("items[1].firstSequence")).isEqualTo(list.getLong("items[0].lastSequence") + 1);
        assertThat(list.getString("items[1].previousDigestHash")).isEqualTo(list.getString("items[0].digestHash"));
        assertThat(list.getString("items[0].previousDigestHash")).isEqualTo("0".repeat(64));
        // the newest event of the chain is what the newest digest pins
        String head = asPlatformAdmin().queryParam("tenantId", tenant.id()).get("/api/v1/audit/events").path("items[0].hash");
        assertThat(list.getString("items[1].lastEventHash")).isEqualTo(head);

        // verified independently with the JDK, from what the API publishes
        Map<String, Object> digest = list.getMap("items[1]");
        String keyId = (String) digest.get("keyId");
        String publicKey = asPlatformAdmin().get("/api/v1/audit/public-keys").jsonPath()
                .getString("items.find { it.keyId == '" + keyId + "' }.publicKey");
        assertThat(jdkVerify(canonical(digest), (String) digest.get("signature"), publicKey)).isTrue();
        assertThat(jdkVerify(canonical(digest).replace("\"eventCount\":", "\"eventCount\":1"), (String) digest.get("signature"),
                publicKey)).isFalse();

        asPlatformAdmin().queryParam("tenantId", tenant.id()).get("/api/v1/audit/verify").then()
                .body("valid", equalTo(true)).body("digests.valid", equalTo(true)).body("digests.verified", equalTo(2));
    }

    @Test
    void bigBacklogsAreSplitAndEveryTenantGetsItsOwnChainOfDigests() {
        TestTenant a = activeTenant("digest-a");
        TestTenant b = activeTenant("digest-b");
        rename(a, 7);
        rename(b, 1);
        digests.writeDue(Duration.ZERO, 3);
        List<Integer> counts = asPlatformAdmin().queryParam("tenantId", a.id()).get("/api/v1/audit/digests")
                .jsonPath().getList("items.eventCount", Integer.class);
        assertThat(counts).allMatch(c -> c <= 3);
        assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10); // create + placement + activate + 7 renames
        assertThat(asPlatformAdmin().queryParam("tenantId", b.id()).get("/api/v1/audit/digests")
                .jsonPath().getList("items.chainId", String.class)).containsOnly(b.id().toString());
        String adminOfA = apiKey(a, "admin");
        as(adminOfA).queryParam("tenantId", b.id()).get("/api/v1/audit/digests").then().statusCode(404);
        as(adminOfA).get("/api/v1/audit/digests").then().statusCode(200);
    }

    @Test
    void notYetDueChainsWaitForTheIntervalOrTheEventThreshold() {
        TestTenant tenant = activeTenant("digest-wait");
        digests.writeDue(Duration.ZERO, 1000);
        rename(tenant, 2);
        digests.writeDue(Duration.ofHours(1), 1000);
        assertThat(asPlatformAdmin().queryParam("tenantId", tenant.id()).get("/api/v1/audit/digests")
                .jsonPath().getList("items")).hasSize(1);
        digests.writeDue(Duration.ofHours(1), 2);
        assertThat(asPlatformAdmin().queryParam("tenantId", tenant.id()).get("/api/v1/audit/digests")
                .jsonPath().getList("items")).hasSize(2);
    }

    @Test
    void keyRotationKeepsOldDigestsVerifiable() {
        TestTenant tenant = activeTenant("digest-rot");
        digests.writeDue(Duration.ZERO, 1000);
        String oldKey = asPlatformAdmin().queryParam("tenantId", tenant.id()).get("/api/v1/audit/digests").path("items[0].keyId");
        String newKey = asPlatformAdmin().post("/api/v1/platform/audit/signing-key:rotate").then().statusCode(200)
                .extract().path("keyId");
        assertThat(newKey).isNotEqualTo(oldKey);
        rename(tenant, 1);
        digests.writeDue(Duration.ZERO, 1000);
        JsonPath keys = asPlatformAdmin().get("/api/v1/audit/public-keys").jsonPath();
        assertThat(keys.getString("items.find { it.keyId == '" + oldKey + "' }.validTo")).isNotNull();
        assertThat(keys.getString("items.find { it.keyId == '" + newKey + "' }.validTo")).isNull();
        assertThat(asPlatformAdmin().queryParam("tenantId", tenant.id()).get("/api/v1/audit/digests")
                .jsonPath().getList("items.keyId")).containsExactly(oldKey, newKey);
        asPlatformAdmin().queryParam("tenantId", tenant.id()).get("/api/v1/audit/verify").then()
                .body("valid", equalTo(true)).body("digests.verified", equalTo(2));
    }

    @Test
    void truncatingTheChainAfterADigestIsDetected() throws Exception {
        TestTenant tenant = activeTenant("digest-cut");
        rename(tenant, 3);
        digests.writeDue(Duration.ZERO, 1000);
        // an attacker with the owner's credentials removes the newest event: the hash chain alone still verifies
        try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement()) {
            owner.setAutoCommit(false);
            statement.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete");
            statement.executeUpdate("DELETE FROM audit_event WHERE chain_id = '" + tenant.id() + "' AND sequence = "
                    + "(SELECT max(sequence) FROM audit_event WHERE chain_id = '" + tenant.id() + "')");
            statement.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete");
            owner.commit();
        }
        asPlatformAdmin().queryParam("tenantId", tenant.id()).get("/api/v1/audit/verify").then()
                .body("valid", equalTo(false))
                .body("firstBrokenEventId", org.hamcrest.Matchers.nullValue())
                .body("digests.valid", equalTo(false))
                .body("digests.firstBrokenDigest", equalTo(1))
                .body("reason", containsString("no longer holds"));
    }

    private static void rename(TestTenant tenant, int times) {
        for (int i = 0; i < times; i++) {
            asPlatformAdmin().body(Map.of("displayName", "Name " + i)).patch(tenant.path()).then().statusCode(200);
        }
    }

    /** The canonical JSON of a digest, rebuilt here from the API's fields (sorted keys, no spaces). */
    private static String canonical(Map<String, Object> d) {
        return "{\"chainId\":\"" + d.get("chainId") + "\",\"digestSequence\":" + d.get("digestSequence")
                + ",\"eventCount\":" + d.get("eventCount") + ",\"firstEventHash\":\"" + d.get("firstEventHash")
                + "\",\"firstSequence\":" + d.get("firstSequence") + ",\"keyId\":\"" + d.get("keyId")
                + "\",\"lastEventHash\":\"" + d.get("lastEventHash") + "\",\"lastSequence\":" + d.get("lastSequence")
                + ",\"periodEnd\":\"" + d.get("periodEnd") + "\",\"periodStart\":\"" + d.get("periodStart")
                + "\",\"previousDigestHash\":\"" + d.get("previousDigestHash") + "\"}";
    }

    private static boolean jdkVerify(String content, String signature, String publicKey) throws Exception {
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(content.getBytes(StandardCharsets.UTF_8));
        return verifier.verify(Base64.getDecoder().decode(signature));
    }
}
