package dev.atrium.dataplane.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.atrium.contract.KeyIntrospection;
import dev.atrium.contract.PlacedRegion;
import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.common.Problem;
import dev.atrium.dataplane.controlplane.ControlPlaneClient;
import dev.atrium.tenancy.ApiKeyFormat;
import dev.atrium.tenancy.Scope;

/**
 * The verdict cache's rules, with a FAKE control plane (scripted introspection answers and outages) and a
 * hand-moved clock; {@code KeyRevocationTest} shows the same against the real control plane.
 */
class ApiKeyVerifierTest {

    private static final class ScriptedControlPlane extends ControlPlaneClient {
        KeyIntrospection next;
        boolean down;
        int calls;

        @Override
        public KeyIntrospection introspectToken(String accessToken, String tenantId) throws UnreachableException {
            return introspect(accessToken);
        }

        @Override
        public KeyIntrospection introspect(String apiKey) throws UnreachableException {
            calls++;
            if (down) {
                throw new UnreachableException("simulated outage", null);
            }
            return next;
        }
    }

    private final ScriptedControlPlane controlPlane = new ScriptedControlPlane();
    private final MovableClock clock = new MovableClock();
    private final DataPlaneConfig.KeyCache settings = new DataPlaneConfig.KeyCache() {
        public Duration ttl() {
            return Duration.ofSeconds(30);
        }

        public Duration negativeTtl() {
            return Duration.ofSeconds(10);
        }

        public Duration maxStaleness() {
            return Duration.ofMinutes(15);
        }

        public long maxEntries() {
            return 1000;
        }
    };
    private final ApiKeyVerifier verifier = new ApiKeyVerifier(controlPlane, settings, clock, new SimpleMeterRegistry(), null);
    private final String key = ApiKeyFormat.generate(new SecureRandom());
    private final TenantPrincipal principal = new TenantPrincipal(UUID.randomUUID(), UUID.randomUUID(), "apikey:test", "ACTIVE", EnumSet.of(Scope.RAG_QUERY), 100, 200);

    @Test
    void aValidVerdictIsServedFromCacheUntilItsTtlAndARevocationLandsAfterIt() {
        controlPlane.next = active(principal);
        assertThat(verifier.verify(key)).isEqualTo(principal);
        clock.advance(Duration.ofSeconds(29));
        assertThat(verifier.verify(key)).isEqualTo(principal);
        assertThat(controlPlane.calls).isEqualTo(1);

        controlPlane.next = KeyIntrospection.inactive("API key revoked");
        assertThat(verifier.verify(key)).as("still within the TTL").isEqualTo(principal);
        clock.advance(Duration.ofSeconds(2));
        assertThatThrownBy(() -> verifier.verify(key)).isInstanceOf(ApiException.class).hasMessageContaining("revoked")
                .extracting(e -> ((ApiException) e).problem()).isEqualTo(Problem.UNAUTHENTICATED);
        assertThat(controlPlane.calls).isEqualTo(2);
    }

    @Test
    void refusalsAreCachedForTheNegativeTtl() {
        controlPlane.next = KeyIntrospection.inactive("unknown API key");
        assertThatThrownBy(() -> verifier.verify(key)).hasMessageContaining("unknown");
        assertThatThrownBy(() -> verifier.verify(key)).hasMessageContaining("unknown");
        assertThat(controlPlane.calls).isEqualTo(1);
        clock.advance(Duration.ofSeconds(11));
        controlPlane.next = active(principal);
        assertThat(verifier.verify(key)).isEqualTo(principal);
    }

    @Test
    void whenTheControlPlaneIsDownKnownKeysKeepWorkingForBoundedTimeAndUnknownKeysAreRefused() {
        controlPlane.next = active(principal);
        verifier.verify(key);
        controlPlane.down = true;
        clock.advance(Duration.ofMinutes(10));
        assertThat(verifier.verify(key)).as("stale but within max-staleness").isEqualTo(principal);
        clock.advance(Duration.ofMinutes(6));
        assertThatThrownBy(() -> verifier.verify(key)).extracting(e -> ((ApiException) e).problem())
                .isEqualTo(Problem.CONTROL_PLANE_UNAVAILABLE);
        assertThatThrownBy(() -> verifier.verify(ApiKeyFormat.generate(new SecureRandom())))
                .extracting(e -> ((ApiException) e).problem()).isEqualTo(Problem.CONTROL_PLANE_UNAVAILABLE);
    }

    @Test
    void malformedKeysNeverReachTheControlPlane() {
        assertThatThrownBy(() -> verifier.verify("atr_short")).hasMessageContaining("malformed");
        assertThatThrownBy(() -> verifier.verify("sk-not-ours")).hasMessageContaining("malformed");
        assertThat(controlPlane.calls).isZero();
    }

    @Test
    void aPersonsTokenWithATenantThatIsNoTenantIdIsRefusedBeforeTheControlPlaneIsAsked() {
        controlPlane.next = active(principal);

        for (String tenant : new String[] {"../" + principal.tenantId(), "platform", principal.tenantId() + "/x", " "}) {
            assertThatThrownBy(() -> verifier.verifyPerson("eyJ.token.signature", tenant))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.problem()).isEqualTo(Problem.UNAUTHENTICATED));
        }
        assertThat(controlPlane.calls).isZero();
        assertThat(verifier.verifyPerson("eyJ.token.signature", principal.tenantId().toString())).isEqualTo(principal);
        assertThat(controlPlane.calls).isEqualTo(1);
    }

    @Test
    void aTenantIsServedOnlyInTheRegionsItIsPlacedInAndARefusalNamesItsDataPlane() {
        ApiKeyVerifier inHelsinki = new ApiKeyVerifier(controlPlane, settings, clock, new SimpleMeterRegistry(), "eu-north-1");
        controlPlane.next = active(principal, new PlacedRegion("eu-west-1", "https://eu-west-1.example.com", true, false),
                new PlacedRegion("eu-central-1", "https://eu-central-1.example.com", false, false));

        assertThatThrownBy(() -> inHelsinki.verify(key))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.problem()).isEqualTo(Problem.TENANT_NOT_PLACED_HERE))
                .hasMessageContaining("not served in region eu-north-1").hasMessageContaining("https://eu-west-1.example.com");

        ApiKeyVerifier inFrankfurt = new ApiKeyVerifier(controlPlane, settings, clock, new SimpleMeterRegistry(), "eu-central-1");
        assertThat(inFrankfurt.verify(key)).as("a standby region serves too").isEqualTo(principal);

        controlPlane.next = active(principal);
        ApiKeyVerifier anywhere = new ApiKeyVerifier(controlPlane, settings, clock, new SimpleMeterRegistry(), "eu-west-1");
        assertThatThrownBy(() -> anywhere.verify(key)).hasMessageContaining("not placed in any region yet");
    }

    @Test
    void aDedicatedTenantIsServedByItsOwnDataPlaneOnlyAndItsDataPlaneByNoOtherTenant() {
        PlacedRegion dedicatedHere = new PlacedRegion("eu-west-1", "https://acme.eu-west-1.example.com", true, true);
        controlPlane.next = active(principal, dedicatedHere);
        ApiKeyVerifier shared = new ApiKeyVerifier(controlPlane, settings, clock, new SimpleMeterRegistry(), "eu-west-1", null);
        assertThatThrownBy(() -> shared.verify(key))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.problem()).isEqualTo(Problem.TENANT_HAS_OWN_DATA_PLANE))
                .hasMessageContaining("https://acme.eu-west-1.example.com");

        ApiKeyVerifier own = new ApiKeyVerifier(controlPlane, settings, clock, new SimpleMeterRegistry(), "eu-west-1",
                principal.tenantId());
        assertThat(own.verify(key)).isEqualTo(principal);

        // another tenant's key at this tenant's data plane: refused, whether that tenant is pooled or dedicated here
        TenantPrincipal neighbour = new TenantPrincipal(UUID.randomUUID(), UUID.randomUUID(), "apikey:neighbour", "ACTIVE",
                EnumSet.of(Scope.RAG_QUERY), 100, 200);
        String neighbourKey = ApiKeyFormat.generate(new SecureRandom());
        for (boolean neighbourDedicated : new boolean[] {false, true}) {
            controlPlane.next = active(neighbour, new PlacedRegion("eu-west-1", "https://n.example.com", true, neighbourDedicated));
            ApiKeyVerifier fresh = new ApiKeyVerifier(controlPlane, settings, clock, new SimpleMeterRegistry(), "eu-west-1",
                    principal.tenantId());
            assertThatThrownBy(() -> fresh.verify(neighbourKey))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.problem()).isEqualTo(Problem.TENANT_NOT_PLACED_HERE))
                    .hasMessageContaining("dedicated to one tenant");
        }

        // the tenant became pooled here (plan downgraded): its old data plane no longer serves it, the shared one does
        controlPlane.next = active(principal, new PlacedRegion("eu-west-1", "https://eu-west-1.example.com", true, false));
        ApiKeyVerifier ownAfterDowngrade = new ApiKeyVerifier(controlPlane, settings, clock, new SimpleMeterRegistry(),
                "eu-west-1", principal.tenantId());
        assertThatThrownBy(() -> ownAfterDowngrade.verify(key)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.TENANT_NOT_PLACED_HERE));
        ApiKeyVerifier sharedAfterDowngrade = new ApiKeyVerifier(controlPlane, settings, clock, new SimpleMeterRegistry(),
                "eu-west-1", null);
        assertThat(sharedAfterDowngrade.verify(key)).isEqualTo(principal);
    }

    /** What the control plane answers for a valid key of {@code principal}. */
    private static KeyIntrospection active(TenantPrincipal principal, PlacedRegion... regions) {
        return new KeyIntrospection(true, null, principal.keyId(), principal.tenantId(), principal.tenantStatus(),
                principal.scopes().stream().map(Scope::value).toList(), principal.requestsPerSecond(), principal.burst(),
                principal.actorId(), List.of(regions));
    }
}
