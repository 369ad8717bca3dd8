package dev.atrium.controlplane.dedicated;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.region.TenantNamespaceRepository.TenantNamespace;

/**
 * After a restart the reconciler knows nothing, and a namespace the tenant left is removed straight from the stored
 * rows: only once the tenant's new first region is Ready, never because some standby is.
 */
class ReplacementReadyTest {

    private static final UUID TENANT = UUID.fromString("6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b");
    private static final UUID OTHER = UUID.fromString("0a9b8c7d-6e5f-4a3b-9c1d-2e3f4a5b6c7d");

    private static TenantNamespace row(UUID tenant, String region, String condition) {
        return new TenantNamespace(tenant, region, "atrium-acme", "f", condition, "r", "m", Instant.EPOCH, null);
    }

    @Test
    void aReadyStandbyDoesNotReplaceAPrimaryThatIsNotReadyYet() {
        // moved from a to b, with standby c already Ready; b is still Pending
        List<TenantNamespace> rows = List.of(row(TENANT, "a", "Ready"), row(TENANT, "b", "Pending"), row(TENANT, "c", "Ready"));

        assertThat(DedicatedProvisioning.replacementReady(TENANT, "b", rows)).isFalse();
    }

    @Test
    void theNewPrimaryReadyLetsTheOldOneGo() {
        List<TenantNamespace> rows = List.of(row(TENANT, "a", "Ready"), row(TENANT, "b", "Ready"));

        assertThat(DedicatedProvisioning.replacementReady(TENANT, "b", rows)).isTrue();
    }

    @Test
    void anotherTenantsReadyRowInTheSameRegionCountsForNothing() {
        List<TenantNamespace> rows = List.of(row(TENANT, "a", "Ready"), row(TENANT, "b", "Degraded"), row(OTHER, "b", "Ready"));

        assertThat(DedicatedProvisioning.replacementReady(TENANT, "b", rows)).isFalse();
    }
}
