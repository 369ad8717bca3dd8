package dev.atrium.controlplane.audit.digest;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

import dev.atrium.compliance.digest.ChainDigest;
import dev.atrium.compliance.digest.DigestChainVerifier;
import dev.atrium.compliance.digest.DigestSigning;
import dev.atrium.compliance.digest.SignedDigest;
import dev.atrium.controlplane.common.AtriumConfig;
import dev.atrium.controlplane.common.Timestamps;
import dev.atrium.controlplane.identity.TenantScope;
import dev.atrium.controlplane.trail.AuditRecord;

/**
 * Writes, lists and verifies the signed digests of every audit chain. A chain gets a digest when its oldest
 * undigested event is older than {@code atrium.audit.digest.interval} (5 minutes) or when
 * {@code atrium.audit.digest.max-events} (1,000) events are waiting; each digest covers at most that many events.
 */
@ApplicationScoped
public class AuditDigests {

    private static final Logger LOG = Logger.getLogger(AuditDigests.class);

    @Inject
    EntityManager entityManager;

    @Inject
    AuditSigningKeys signingKeys;

    @Inject
    AtriumConfig config;

    @Scheduled(every = "${atrium.audit.digest.check-every:30s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void writeDueDigests() {
        try {
            writeDue(config.audit().digest().interval(), config.audit().digest().maxEvents());
        } catch (RuntimeException e) {
            LOG.errorf(e, "writing audit digests failed; the next run retries");
        }
    }

    /** Writes every digest that is due; {@code Duration.ZERO} makes every waiting event due. Returns how many were written. */
    public int writeDue(Duration interval, int maxEvents) {
        int written = 0;
        for (String chainId : chains()) {
            try {
                while (TenantScope.asPlatform(() -> QuarkusTransaction.requiringNew().call(
                        () -> writeNext(chainId, interval, maxEvents)))) {
                    written++;
                }
            } catch (RuntimeException e) {
                // a damaged chain (events removed behind the trail's back) must not stop the digests of every other chain
                LOG.errorf("could not write a digest for chain %s: %s", chainId, e.getMessage());
            }
        }
        return written;
    }

    public List<DigestView> list(UUID tenantId, boolean platformChain, Instant from, Instant to) {
        StringBuilder sql = new StringBuilder("""
                SELECT chain_id, tenant_id, digest_sequence, period_start, period_end, event_count, first_sequence,
                       last_sequence, first_event_hash::text, last_event_hash::text, previous_digest_hash::text,
                       digest_hash::text, key_id, signature, created_at
                FROM audit_digest WHERE chain_id = ?1""");
        if (from != null) {
            sql.append(" AND period_end >= ?2");
        }
        if (to != null) {
            sql.append(" AND period_start < ?3");
        }
        sql.append(" ORDER BY digest_sequence");
        var query = entityManager.createNativeQuery(sql.toString())
                .setParameter(1, platformChain ? AuditRecord.PLATFORM_CHAIN : AuditRecord.chainOf(tenantId));
        if (from != null) {
            query.setParameter(2, from);
        }
        if (to != null) {
            query.setParameter(3, to);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        List<DigestView> digests = new ArrayList<>();
        for (Object[] r : rows) {
            digests.add(new DigestView((String) r[0], (UUID) r[1], ((Number) r[2]).longValue(), iso(Timestamps.toInstant(r[3])),
                    iso(Timestamps.toInstant(r[4])), ((Number) r[5]).longValue(), ((Number) r[6]).longValue(),
                    ((Number) r[7]).longValue(), (String) r[8], (String) r[9], (String) r[10], (String) r[11],
                    (String) r[12], (String) r[13], Timestamps.toInstant(r[14])));
        }
        return digests;
    }

    /** Verifies every digest of a chain against the published keys and against the events the chain holds now. */
    public DigestChainVerifier.Result verify(UUID tenantId, long purgedThrough, String anchorHash) {
        String chainId = AuditRecord.chainOf(tenantId);
        List<SignedDigest> digests = list(tenantId, tenantId == null, null, null).stream().map(DigestView::toSigned).toList();
        return DigestChainVerifier.verify(chainId, digests, signingKeys.publicKeysById(),
                sequence -> sequence == purgedThrough && purgedThrough > 0 ? anchorHash : eventHash(chainId, sequence),
                purgedThrough);
    }

    private boolean writeNext(String chainId, Duration interval, int maxEvents) {
        Object[] last = lastDigest(chainId);
        long lastCovered = last == null ? 0 : ((Number) last[0]).longValue();
        String previousHash = last == null ? ChainDigest.NO_PREVIOUS_DIGEST : (String) last[1];
        long digestSequence = last == null ? 1 : ((Number) last[2]).longValue() + 1;
        long head = ((Number) entityManager.createNativeQuery("SELECT sequence FROM audit_chain_head WHERE chain_id = ?1")
                .setParameter(1, chainId).getSingleResult()).longValue();
        long waiting = head - lastCovered;
        if (waiting <= 0) {
            return false;
        }
        long first = lastCovered + 1;
        Object[] firstEvent = event(chainId, first);
        boolean old = Timestamps.toInstant(firstEvent[1]).isBefore(Instant.now().minus(interval)) || interval.isZero();
        if (waiting < maxEvents && !old) {
            return false;
        }
        long lastSequence = Math.min(head, lastCovered + maxEvents);
        Object[] lastEvent = event(chainId, lastSequence);
        AuditSigningKeys.CurrentKey key = signingKeys.current();
        UUID tenantId = AuditRecord.PLATFORM_CHAIN.equals(chainId) ? null : UUID.fromString(chainId);
        ChainDigest digest = new ChainDigest(chainId, digestSequence, iso(Timestamps.toInstant(firstEvent[1])), iso(Timestamps.toInstant(lastEvent[1])),
                lastSequence - first + 1, first, lastSequence, (String) firstEvent[0], (String) lastEvent[0], previousHash,
                key.keyId());
        SignedDigest signed = DigestSigning.sign(digest, key.privateKey());
        entityManager.createNativeQuery("""
                        INSERT INTO audit_digest (chain_id, digest_sequence, tenant_id, period_start, period_end, event_count,
                            first_sequence, last_sequence, first_event_hash, last_event_hash, previous_digest_hash,
                            digest_hash, key_id, signature, created_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)""")
                .setParameter(1, chainId).setParameter(2, digestSequence).setParameter(3, tenantId)
                .setParameter(4, Timestamps.toInstant(firstEvent[1])).setParameter(5, Timestamps.toInstant(lastEvent[1])).setParameter(6, digest.eventCount())
                .setParameter(7, first).setParameter(8, lastSequence).setParameter(9, digest.firstEventHash())
                .setParameter(10, digest.lastEventHash()).setParameter(11, previousHash).setParameter(12, digest.hash())
                .setParameter(13, key.keyId()).setParameter(14, signed.signature())
                .setParameter(15, Instant.now().truncatedTo(ChronoUnit.MICROS))
                .executeUpdate();
        return true;
    }

    private List<String> chains() {
        @SuppressWarnings("unchecked")
        List<String> chains = TenantScope.asPlatform(() -> QuarkusTransaction.requiringNew().call(
                () -> entityManager.createNativeQuery("SELECT chain_id FROM audit_chain_head ORDER BY chain_id").getResultList()));
        return chains;
    }

    private Object[] lastDigest(String chainId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                        SELECT last_sequence, digest_hash::text, digest_sequence FROM audit_digest WHERE chain_id = ?1
                        ORDER BY digest_sequence DESC LIMIT 1""")
                .setParameter(1, chainId).getResultList();
        return rows.isEmpty() ? null : rows.getFirst();
    }

    private Object[] event(String chainId, long sequence) {
        return (Object[]) entityManager.createNativeQuery(
                        "SELECT hash::text, occurred_at FROM audit_event WHERE chain_id = ?1 AND sequence = ?2")
                .setParameter(1, chainId).setParameter(2, sequence).getSingleResult();
    }

    private String eventHash(String chainId, long sequence) {
        @SuppressWarnings("unchecked")
        List<String> hashes = entityManager.createNativeQuery(
                        "SELECT hash::text FROM audit_event WHERE chain_id = ?1 AND sequence = ?2")
                .setParameter(1, chainId).setParameter(2, sequence).getResultList();
        return hashes.isEmpty() ? null : hashes.getFirst();
    }

    private static String iso(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MICROS));
    }
}
