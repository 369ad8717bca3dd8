package dev.atrium.controlplane.audit.digest;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

import dev.atrium.compliance.digest.ChainDigest;
import dev.atrium.compliance.digest.DigestChainVerifier;
import dev.atrium.compliance.digest.DigestSigning;
import dev.atrium.compliance.digest.SignedDigest;
import dev.atrium.controlplane.common.AtriumConfig;
import dev.atrium.controlplane.common.Rows;
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
                       last_sequence, first_event_hash::text AS first_event_hash, last_event_hash::text AS last_event_hash,
                       previous_digest_hash::text AS previous_digest_hash, digest_hash::text AS digest_hash, key_id,
                       signature, created_at
                FROM audit_digest WHERE chain_id = ?1""");
        if (from != null) {
            sql.append(" AND period_end >= ?2");
        }
        if (to != null) {
            sql.append(" AND period_start < ?3");
        }
        sql.append(" ORDER BY digest_sequence");
        var query = entityManager.createNativeQuery(sql.toString(), Tuple.class)
                .setParameter(1, platformChain ? AuditRecord.PLATFORM_CHAIN : AuditRecord.chainOf(tenantId));
        if (from != null) {
            query.setParameter(2, from);
        }
        if (to != null) {
            query.setParameter(3, to);
        }
        return Rows.tuples(query).stream().map(AuditDigests::digest).toList();
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
        LastDigest last = lastDigest(chainId);
        long lastCovered = last == null ? 0 : last.lastSequence();
        String previousHash = last == null ? ChainDigest.NO_PREVIOUS_DIGEST : last.digestHash();
        long digestSequence = last == null ? 1 : last.digestSequence() + 1;
        long head = ((Number) entityManager.createNativeQuery("SELECT sequence FROM audit_chain_head WHERE chain_id = ?1")
                .setParameter(1, chainId).getSingleResult()).longValue();
        long waiting = head - lastCovered;
        if (waiting <= 0) {
            return false;
        }
        long first = lastCovered + 1;
        DigestedEvent firstEvent = event(chainId, first);
        boolean old = firstEvent.occurredAt().isBefore(Instant.now().minus(interval)) || interval.isZero();
        if (waiting < maxEvents && !old) {
            return false;
        }
        long lastSequence = Math.min(head, lastCovered + maxEvents);
        DigestedEvent lastEvent = event(chainId, lastSequence);
        AuditSigningKeys.CurrentKey key = signingKeys.current();
        UUID tenantId = AuditRecord.PLATFORM_CHAIN.equals(chainId) ? null : UUID.fromString(chainId);
        ChainDigest digest = new ChainDigest(chainId, digestSequence, iso(firstEvent.occurredAt()), iso(lastEvent.occurredAt()),
                lastSequence - first + 1, first, lastSequence, firstEvent.hash(), lastEvent.hash(), previousHash,
                key.keyId());
        SignedDigest signed = DigestSigning.sign(digest, key.privateKey());
        entityManager.createNativeQuery("""
                        INSERT INTO audit_digest (chain_id, digest_sequence, tenant_id, period_start, period_end, event_count,
                            first_sequence, last_sequence, first_event_hash, last_event_hash, previous_digest_hash,
                            digest_hash, key_id, signature, created_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)""")
                .setParameter(1, chainId).setParameter(2, digestSequence).setParameter(3, tenantId)
                .setParameter(4, firstEvent.occurredAt()).setParameter(5, lastEvent.occurredAt()).setParameter(6, digest.eventCount())
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

    /** The newest digest of a chain, or null. */
    private LastDigest lastDigest(String chainId) {
        List<Tuple> rows = Rows.tuples(entityManager.createNativeQuery("""
                        SELECT last_sequence, digest_hash::text AS digest_hash, digest_sequence FROM audit_digest WHERE chain_id = ?1
                        ORDER BY digest_sequence DESC LIMIT 1""", Tuple.class)
                .setParameter(1, chainId));
        return rows.isEmpty() ? null : new LastDigest(Rows.longValue(rows.getFirst(), "last_sequence"),
                rows.getFirst().get("digest_hash", String.class), Rows.longValue(rows.getFirst(), "digest_sequence"));
    }

    private DigestedEvent event(String chainId, long sequence) {
        Tuple row = Rows.tuple(entityManager.createNativeQuery(
                        "SELECT hash::text AS hash, occurred_at FROM audit_event WHERE chain_id = ?1 AND sequence = ?2", Tuple.class)
                .setParameter(1, chainId).setParameter(2, sequence));
        return new DigestedEvent(row.get("hash", String.class), Rows.instant(row, "occurred_at"));
    }

    /** Row mapper for the digest columns {@link #list} selects. */
    private static DigestView digest(Tuple row) {
        return new DigestView(row.get("chain_id", String.class), row.get("tenant_id", UUID.class),
                Rows.longValue(row, "digest_sequence"), iso(Rows.instant(row, "period_start")), iso(Rows.instant(row, "period_end")),
                Rows.longValue(row, "event_count"), Rows.longValue(row, "first_sequence"), Rows.longValue(row, "last_sequence"),
                row.get("first_event_hash", String.class), row.get("last_event_hash", String.class),
                row.get("previous_digest_hash", String.class), row.get("digest_hash", String.class),
                row.get("key_id", String.class), row.get("signature", String.class), Rows.instant(row, "created_at"));
    }

    /** Where the newest digest of a chain ended, its hash, and its number in the chain's digest sequence. */
    private record LastDigest(long lastSequence, String digestHash, long digestSequence) {
    }

    /** The hash and time of an event a digest starts or ends with. */
    private record DigestedEvent(String hash, Instant occurredAt) {
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
