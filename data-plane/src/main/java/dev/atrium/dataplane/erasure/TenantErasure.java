package dev.atrium.dataplane.erasure;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.atrium.contract.ErasureReceipt;
import dev.atrium.dataplane.auth.ApiKeyVerifier;
import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.gateway.ModelApprovals;
import dev.atrium.dataplane.gateway.TenantDeployments;
import dev.atrium.dataplane.guardrail.Guardrails;
import dev.atrium.dataplane.metering.OutboxShipper;
import dev.atrium.dataplane.rag.index.IndexRegistry;
import dev.atrium.dataplane.storage.TenantDatabase;

/**
 * Erases everything this data plane holds of a tenant: its rows in every table (one transaction, under the tenant's
 * row scope), its index directories, and what is cached of it (key verdicts, model approvals, guardrail policy and
 * screened texts). Pending usage and audit events are shipped first, so the tenant's chain and ledger are complete
 * before their outbox rows go. Erasing a tenant that has nothing here answers zero counts.
 */
@ApplicationScoped
public class TenantErasure {

    private static final Logger LOG = Logger.getLogger(TenantErasure.class);
    /** Children before parents; knowledge_base last cascades to nothing left. */
    private static final List<String> TABLES = List.of("chunk", "ingest_job", "document", "knowledge_base", "guardrail_policy",
            "usage_outbox", "audit_outbox");

    @Inject
    TenantDatabase database;

    @Inject
    IndexRegistry indexes;

    @Inject
    OutboxShipper shipper;

    @Inject
    ApiKeyVerifier verifier;

    @Inject
    ModelApprovals approvals;

    @Inject
    TenantDeployments deployments;

    @Inject
    Guardrails guardrails;

    @Inject
    DataPlaneConfig config;

    public ErasureReceipt erase(UUID tenantId) {
        shipper.shipPending();
        Map<String, Long> erased = new LinkedHashMap<>();
        database.inTenant(tenantId, connection -> {
            for (String table : TABLES) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE tenant_id = ?")) {
                    delete.setObject(1, tenantId);
                    erased.put(table, (long) delete.executeUpdate());
                }
            }
            return null;
        });
        erased.put("index_directories", (long) indexes.dropTenant(tenantId));
        verifier.forgetTenant(tenantId);
        approvals.forgetTenant(tenantId);
        deployments.forgetTenant(tenantId);
        guardrails.forgetTenant(tenantId);
        LOG.infof("erased tenant %s: %s", tenantId, erased);
        return new ErasureReceipt(tenantId, config.region(), Instant.now(), erased);
    }
}
