package dev.atrium.controlplane.region;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

import dev.atrium.contract.ErasureReceipt;
import dev.atrium.contract.InternalApi;
import dev.atrium.controlplane.identity.ActorType;
import dev.atrium.controlplane.tenant.Tenant;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;

/**
 * Erases a deleted tenant's data in every region that may hold it: where it is placed, and every region it was moved
 * away from (data planes serve a tenant only where it is placed, so it cannot be anywhere else). Each region's data
 * plane gets a command with a one-time token it verifies with this control plane, erases, and answers a receipt,
 * which goes into the tenant's audit chain at once, before the chain is closed. A region that does not answer fails
 * the step; the deletion is retried until every region has answered (erasing again is harmless: the receipt then
 * counts zero). A region that was retired from the registry since is skipped, and says so in the chain. In a
 * Kubernetes region where the tenant is dedicated ({@link IsolationTier}) there is no shared data plane holding its
 * data: the step waits until its namespace has been removed (see {@code dedicated.DedicatedProvisioning}).
 */
@ApplicationScoped
public class TenantErasure {

    private static final Logger LOG = Logger.getLogger(TenantErasure.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Inject
    RegionRepository regions;

    @Inject
    PlacementService placements;

    @Inject
    ErasureTokens tokens;

    @Inject
    AuditTrail auditTrail;

    @Inject
    ObjectMapper json;

    @Inject
    TenantNamespaceRepository namespaces;

    @Inject
    jakarta.enterprise.event.Event<PlacementChanged> changed;

    /** The receipts of every region of the tenant's zone; throws when a region could not confirm. */
    public List<ErasureReceipt> eraseEverywhere(Tenant tenant) {
        List<ErasureReceipt> receipts = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String name : placements.everyRegionOf(tenant.id)) {
            Region region = regions.find(name).orElse(null);
            if (region == null) {
                QuarkusTransaction.requiringNew().run(() -> auditTrail.record(AuditEntry.failure("tenant.erase",
                        "region " + name + " is no longer registered; its data plane was not asked").tenant(tenant.id)
                        .resource("region", name).actor("system:tenant-deletion", ActorType.SYSTEM)));
                continue;
            }
            boolean dedicated = IsolationTier.of(tenant.plan, region.kind()) == IsolationTier.DEDICATED;
            if (dedicated) {
                java.util.Optional<String> pending = eraseNamespace(tenant, region);
                if (pending.isPresent()) {
                    failures.add(pending.get());
                    continue;
                }
            }
            // the region's shared data plane too, also for a dedicated tenant: it holds whatever the tenant stored there
            // while it was pooled (before a plan upgrade or a move), which is not copied into its own database
            try {
                ErasureReceipt receipt = erase(tenant, region);
                receipts.add(receipt);
                Map<String, Object> after = summary(receipt);
                if (dedicated) {
                    after.put("namespace", "removed");
                }
                QuarkusTransaction.requiringNew().run(() -> auditTrail.record(AuditEntry.success("tenant.erase").tenant(tenant.id)
                        .resource("region", region.name()).actor("system:tenant-deletion", ActorType.SYSTEM)
                        .after(after)));
            } catch (RuntimeException e) {
                LOG.warnf("erasing tenant %s in region %s failed: %s", tenant.id, region.name(), e.getMessage());
                failures.add(region.name() + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("tenant " + tenant.id + " is not erased everywhere yet (" + String.join("; ", failures) + ")");
        }
        return receipts;
    }

    /**
     * A dedicated tenant's namespace (data plane and database) is gone when the provisioning has removed it and dropped
     * its row; until then this asks for the removal and reports the region as pending. The region's shared data plane
     * is erased as well, by the caller.
     */
    private java.util.Optional<String> eraseNamespace(Tenant tenant, Region region) {
        var row = namespaces.find(tenant.id, region.name());
        if (row.isPresent()) {
            changed.fire(new PlacementChanged(tenant.id));
            return java.util.Optional.of(region.name() + ": namespace " + row.get().namespace() + " is not removed yet ("
                    + row.get().condition() + ", " + row.get().reason() + ")");
        }
        return java.util.Optional.empty();
    }

    private ErasureReceipt erase(Tenant tenant, Region region) {
        String token = tokens.issue(tenant.id, region.name());
        HttpRequest request = HttpRequest.newBuilder(URI.create(region.endpoint() + InternalApi.tenantErasure(tenant.id)))
                .timeout(TIMEOUT).header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("unreachable (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("answered " + response.statusCode());
        }
        ErasureReceipt receipt;
        try {
            receipt = json.readValue(response.body(), ErasureReceipt.class);
        } catch (IOException e) {
            throw new IllegalStateException("answered something that is not an erasure receipt", e);
        }
        if (!tenant.id.equals(receipt.tenantId()) || !region.name().equals(receipt.region())) {
            throw new IllegalStateException("answered a receipt for tenant " + receipt.tenantId() + " in region " + receipt.region());
        }
        return receipt;
    }

    private static Map<String, Object> summary(ErasureReceipt receipt) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("region", receipt.region());
        summary.put("erasedAt", receipt.erasedAt().toString());
        summary.put("erased", new java.util.TreeMap<>(receipt.erased()));
        return summary;
    }
}
