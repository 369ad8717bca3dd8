package dev.atrium.controlplane.audit;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.atrium.compliance.audit.AuditChainVerifier;
import dev.atrium.compliance.audit.ChainVerification;
import dev.atrium.compliance.audit.ChainedEvent;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.Cursor;
import dev.atrium.controlplane.common.Page;

/** Lists and verifies audit chains. Which chain a caller may read is decided by the access policy beforehand. */
@ApplicationScoped
public class AuditService {

    @Inject
    AuditRepository repository;

    @Inject
    jakarta.persistence.EntityManager entityManager;

    public Page<AuditEventView> list(AuditQuery query) {
        if (query.from() != null && query.to() != null && !query.from().isBefore(query.to())) {
            throw ApiException.invalid("from", "must be before 'to'");
        }
        List<AuditRecord> records = repository.find(query);
        String next = null;
        if (records.size() == query.limit()) {
            AuditRecord last = records.getLast();
            next = new Cursor(last.occurredAt(), last.id()).encode();
        }
        return new Page<>(records.stream().map(AuditEventView::of).toList(), next);
    }

    @Transactional
    public ChainVerification verify(UUID tenantId) {
        String chainId = AuditRecord.chainOf(tenantId);
        Object[] purge = purgeAnchor(chainId);
        long purgedThrough = ((Number) purge[0]).longValue();
        AuditChainVerifier verifier = purgedThrough == 0 ? AuditChainVerifier.fromGenesis(chainId)
                : AuditChainVerifier.fromAnchor(chainId, purgedThrough + 1, (String) purge[1]);
        return repository.streamChain(chainId, records -> verifier.verify(
                new Iterator<ChainedEvent>() {
                    @Override
                    public boolean hasNext() {
                        return records.hasNext();
                    }

                    @Override
                    public ChainedEvent next() {
                        return records.next().toChainedEvent();
                    }
                }));
    }

    /** [purged_through, anchor_hash] of a chain; [0, null] when nothing was purged. */
    public Object[] purgeAnchor(String chainId) {
        @SuppressWarnings("unchecked")
        java.util.List<Object[]> rows = entityManager.createNativeQuery(
                "SELECT purged_through, anchor_hash::text FROM audit_chain_head WHERE chain_id = ?1")
                .setParameter(1, chainId).getResultList();
        return rows.isEmpty() ? new Object[] {0L, null} : rows.getFirst();
    }

    public static Instant parseInstant(String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (RuntimeException e) {
            throw ApiException.invalid(field, "must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }
}
