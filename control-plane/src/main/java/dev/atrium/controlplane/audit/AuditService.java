package dev.atrium.controlplane.audit;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.atrium.compliance.audit.AuditChainVerifier;
import dev.atrium.compliance.audit.ChainVerification;
import dev.atrium.compliance.audit.ChainedEvent;
import dev.atrium.compliance.digest.DigestChainVerifier;
import dev.atrium.controlplane.audit.AuditRepository.PurgeAnchor;
import dev.atrium.controlplane.audit.digest.AuditDigests;
import dev.atrium.controlplane.audit.retention.AuditRetention;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.Cursor;
import dev.atrium.controlplane.common.Page;
import dev.atrium.controlplane.trail.AuditRecord;

/** Lists and verifies audit chains (hashes, signed digests, purges). Which chain a caller may read is decided by the access policy beforehand. */
@ApplicationScoped
public class AuditService {

    @Inject
    AuditRepository repository;

    @Inject
    AuditDigests digests;

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

    /**
     * Verifies a chain completely: its hashes, its signed digests, and, when its oldest events were purged, that the
     * cut is one the retention purge made.
     */
    @Transactional
    public AuditVerification verifyTrail(UUID tenantId) {
        String chainId = AuditRecord.chainOf(tenantId);
        ChainVerification chain = verify(tenantId);
        PurgeAnchor purge = repository.purgeAnchor(chainId);
        DigestChainVerifier.Result digestResult = digests.verify(tenantId, purge.purgedThrough(), purge.anchorHash());
        String purgeProblem = purgeProblem(chainId, purge.purgedThrough(), purge.anchorHash());
        String reason = purgeProblem != null ? purgeProblem : chain.reason() != null ? chain.reason() : digestResult.reason();
        return new AuditVerification(chain.valid() && digestResult.valid() && purgeProblem == null, chain.verified(),
                chain.headHash(), chain.firstBrokenEventId(), reason, digestResult);
    }

    @Transactional
    public ChainVerification verify(UUID tenantId) {
        String chainId = AuditRecord.chainOf(tenantId);
        PurgeAnchor purge = repository.purgeAnchor(chainId);
        long purgedThrough = purge.purgedThrough();
        AuditChainVerifier verifier = purgedThrough == 0 ? AuditChainVerifier.fromGenesis(chainId)
                : AuditChainVerifier.fromAnchor(chainId, purgedThrough + 1, purge.anchorHash());
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

    /**
     * A purged chain is valid only if the cut is one {@code atrium_purge_audit} made: every purge record sits on the
     * last event of a signed digest (the digests' own verification checks their signatures), the newest record is
     * the chain's purge point and anchor, and the chain still holds the {@code audit.purge} event appended with it.
     * Returns what is wrong, or null.
     */
    String purgeProblem(String chainId, long purgedThrough, String anchorHash) {
        Optional<Long> offDigest = repository.firstPurgeOffDigest(chainId);
        if (offDigest.isPresent()) {
            return "the purge record through event " + offDigest.get() + " is not anchored to the last event of a signed digest";
        }
        Optional<PurgeAnchor> latest = repository.latestPurge(chainId);
        if (purgedThrough == 0) {
            return latest.isEmpty() ? null : "the chain was purged through event " + latest.get().purgedThrough()
                    + " but its head claims nothing was purged (purge point moved)";
        }
        if (latest.isEmpty()) {
            return "the chain starts after event " + purgedThrough
                    + " but no purge record exists: events were removed outside the retention purge";
        }
        long recordedThrough = latest.get().purgedThrough();
        if (recordedThrough != purgedThrough || !latest.get().anchorHash().equals(anchorHash)) {
            return "the chain's purge point (event " + purgedThrough + ", anchor " + anchorHash
                    + ") does not match the last purge record (event " + recordedThrough + ", anchor " + latest.get().anchorHash() + ")";
        }
        if (repository.countPurgeEvents(chainId, purgedThrough, anchorHash, AuditRetention.PURGE_ACTION) == 0) {
            return "no " + AuditRetention.PURGE_ACTION + " event after the cut records the purge through event " + purgedThrough;
        }
        return null;
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
