package dev.atrium.controlplane.audit.retention;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.Rows;
import dev.atrium.controlplane.identity.Caller;
import dev.atrium.controlplane.identity.CallerContext;
import dev.atrium.controlplane.identity.TenantScope;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditRecord;
import dev.atrium.controlplane.trail.AuditTrail;

/**
 * Retention of the audit trail. Once a day, each chain not under legal hold loses the events older than its
 * retention period, in whole signed digests only, so that the remaining chain stays anchored to a hash a digest
 * signed. The database decides what may be purged ({@code atrium_purge_audit}: retention, legal hold, digest
 * boundaries, its own clock) and records each purge; policy changes go through {@code atrium_set_audit_retention},
 * which keeps their history.
 */
@ApplicationScoped
public class AuditRetention {

    public static final int DEFAULT_RETENTION_DAYS = 400;
    public static final String PURGE_ACTION = "audit.purge";
    private static final Logger LOG = Logger.getLogger(AuditRetention.class);

    @Inject
    EntityManager entityManager;

    @Inject
    AuditTrail auditTrail;

    @Inject
    CallerContext callerContext;

    public RetentionPolicy get(UUID tenantId) {
        List<Tuple> rows = Rows.tuples(entityManager.createNativeQuery("""
                        SELECT retention_days, legal_hold, hold_reason, updated_at, updated_by FROM audit_retention
                        WHERE chain_id = ?1""", Tuple.class)
                .setParameter(1, AuditRecord.chainOf(tenantId)));
        if (rows.isEmpty()) {
            return new RetentionPolicy(DEFAULT_RETENTION_DAYS, false, null, null, null);
        }
        return policy(rows.getFirst());
    }

    private static RetentionPolicy policy(Tuple row) {
        return new RetentionPolicy(Rows.intValue(row, "retention_days"), row.get("legal_hold", Boolean.class),
                row.get("hold_reason", String.class), Rows.instant(row, "updated_at"), row.get("updated_by", String.class));
    }

    @Transactional
    public RetentionPolicy set(UUID tenantId, RetentionPolicy policy) {
        RetentionPolicy before = get(tenantId);
        if (Boolean.TRUE.equals(policy.legalHold()) && (policy.holdReason() == null || policy.holdReason().isBlank())) {
            throw ApiException.invalid("holdReason", "is required when legalHold is true");
        }
        String actor = callerContext.current().map(Caller::actorId).orElse("system:atrium");
        // the database function checks the bounds again and keeps every change in audit_retention_history
        entityManager.createNativeQuery("SELECT atrium_set_audit_retention(?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, AuditRecord.chainOf(tenantId)).setParameter(2, policy.retentionDays())
                .setParameter(3, policy.legalHold()).setParameter(4, policy.legalHold() ? policy.holdReason() : null)
                .setParameter(5, actor)
                .getSingleResult();
        RetentionPolicy after = get(tenantId);
        String action = before.legalHold() != after.legalHold()
                ? (after.legalHold() ? "audit.legal-hold.set" : "audit.legal-hold.release") : "audit.retention.update";
        auditTrail.record(AuditEntry.success(action).tenant(tenantId).resource("audit-retention", AuditRecord.chainOf(tenantId))
                .before(before).after(after));
        return after;
    }

    @Scheduled(cron = "${atrium.audit.retention.schedule:0 17 3 * * ?}")
    void purgeDaily() {
        try {
            purgeExpired();
        } catch (RuntimeException e) {
            LOG.errorf(e, "audit retention run failed");
        }
    }

    /**
     * Purges, for every chain not under legal hold, the whole digests that ended before its retention cut-off.
     * The database's clock and policy decide: {@code atrium_purge_audit} refuses anything else.
     */
    public int purgeExpired() {
        int purged = 0;
        @SuppressWarnings("unchecked")
        List<String> chains = TenantScope.asPlatform(() -> QuarkusTransaction.requiringNew().call(() ->
                entityManager.createNativeQuery("SELECT chain_id FROM audit_chain_head").getResultList()));
        for (String chain : chains) {
            try {
                purged += TenantScope.asPlatform(() -> QuarkusTransaction.requiringNew().call(() -> purge(chain)));
            } catch (RuntimeException e) {
                // one chain that cannot be purged (e.g. damaged) must not stop retention for the others
                LOG.errorf("retention could not purge chain %s: %s", chain, e.getMessage());
            }
        }
        return purged;
    }

    private int purge(String chain) {
        @SuppressWarnings("unchecked")
        List<Number> through = entityManager.createNativeQuery("""
                        SELECT max(d.last_sequence) FROM audit_digest d
                        JOIN audit_chain_head h ON h.chain_id = d.chain_id
                        LEFT JOIN audit_retention r ON r.chain_id = d.chain_id
                        WHERE d.chain_id = ?1 AND NOT coalesce(r.legal_hold, false) AND d.last_sequence > h.purged_through
                          AND d.period_end < now() - make_interval(days => coalesce(r.retention_days, ?2))""")
                .setParameter(1, chain).setParameter(2, DEFAULT_RETENTION_DAYS).getResultList();
        if (through.isEmpty() || through.getFirst() == null) {
            return 0;
        }
        long last = through.getFirst().longValue();
        long deleted = ((Number) entityManager.createNativeQuery("SELECT atrium_purge_audit(?1, ?2)")
                .setParameter(1, chain).setParameter(2, last).getSingleResult()).longValue();
        Tuple record = Rows.tuple(entityManager.createNativeQuery("""
                        SELECT anchor_hash::text AS anchor_hash, digest_sequence, retention_days, cutoff FROM audit_purge
                        WHERE chain_id = ?1 AND purged_through = ?2""", Tuple.class)
                .setParameter(1, chain).setParameter(2, last));
        UUID tenantId = AuditRecord.PLATFORM_CHAIN.equals(chain) ? null : UUID.fromString(chain);
        // the purge record's signed twin: /verify requires it in the remaining chain
        auditTrail.record(AuditEntry.success(PURGE_ACTION).tenant(tenantId).resource("audit-chain", chain)
                .after(Map.of("purgedThrough", last, "anchorHash", record.get("anchor_hash", String.class),
                        "digestSequence", Rows.longValue(record, "digest_sequence"), "deletedEvents", deleted,
                        "retentionDays", Rows.intValue(record, "retention_days"),
                        "cutoff", Rows.instant(record, "cutoff").toString())));
        return (int) deleted;
    }
}
