package dev.atrium.controlplane.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.atrium.controlplane.common.RowMapper;
import dev.atrium.controlplane.common.Rows;
import dev.atrium.controlplane.trail.AuditRecord;
import dev.atrium.controlplane.trail.Outcome;

/**
 * Reads the audit trail with plain SQL: filtered pages for the API, whole chains streamed for verification, and the
 * purge points and purge records a verification checks the chain's cut against.
 */
@ApplicationScoped
public class AuditRepository {

    private static final String COLUMNS = """
            id, chain_id, sequence, tenant_id, occurred_at, actor_id, actor_type, action, resource_type, resource_id,
            outcome, detail, request_id, source_ip, user_agent, before_state::text AS before_state,
            after_state::text AS after_state, prev_hash, hash""";

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** Row mapper for {@link #COLUMNS}. */
    private static final RowMapper<AuditRecord> AUDIT_RECORD = rows -> new AuditRecord(
            rows.getObject("id", UUID.class), rows.getString("chain_id"), rows.getLong("sequence"),
            rows.getObject("tenant_id", UUID.class), rows.getTimestamp("occurred_at").toInstant(), rows.getString("actor_id"),
            rows.getString("actor_type"), rows.getString("action"), rows.getString("resource_type"),
            rows.getString("resource_id"), Outcome.valueOf(rows.getString("outcome")), rows.getString("detail"),
            rows.getString("request_id"), rows.getString("source_ip"), rows.getString("user_agent"),
            parse(rows.getString("before_state")), parse(rows.getString("after_state")), rows.getString("prev_hash"),
            rows.getString("hash"));

    @Inject
    DataSource dataSource;

    @Inject
    EntityManager entityManager;

    /** Where the retained part of a chain is anchored: the last purged event and its hash. */
    public record PurgeAnchor(long purgedThrough, String anchorHash) {

        /** A chain nothing was purged from. */
        public static final PurgeAnchor NONE = new PurgeAnchor(0, null);
    }

    private static PurgeAnchor purgeAnchor(Tuple row) {
        return new PurgeAnchor(Rows.longValue(row, "purged_through"), row.get("anchor_hash", String.class));
    }

    /** Newest first, keyset-paginated on (occurred_at, id). */
    public List<AuditRecord> find(AuditQuery query) {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM audit_event WHERE true");
        List<Object> args = new ArrayList<>();
        if (query.tenantId() != null) {
            sql.append(" AND tenant_id = ?");
            args.add(query.tenantId());
        } else if (query.platformChainOnly()) {
            sql.append(" AND tenant_id IS NULL");
        }
        if (query.from() != null) {
            sql.append(" AND occurred_at >= ?");
            args.add(Timestamp.from(query.from()));
        }
        if (query.to() != null) {
            sql.append(" AND occurred_at < ?");
            args.add(Timestamp.from(query.to()));
        }
        if (query.actorId() != null) {
            sql.append(" AND actor_id = ?");
            args.add(query.actorId());
        }
        if (query.action() != null) {
            sql.append(" AND action = ?");
            args.add(query.action());
        }
        if (query.outcome() != null) {
            sql.append(" AND outcome = ?");
            args.add(query.outcome().name());
        }
        if (query.after() != null) {
            sql.append(" AND (occurred_at, id) < (?, ?)");
            args.add(Timestamp.from(query.after().time()));
            args.add(query.after().id());
        }
        sql.append(" ORDER BY occurred_at DESC, id DESC LIMIT ?");
        args.add(query.limit());
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                statement.setObject(i + 1, args.get(i));
            }
            List<AuditRecord> records = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    records.add(AUDIT_RECORD.map(rows));
                }
            }
            return records;
        } catch (SQLException e) {
            throw new IllegalStateException("audit query failed", e);
        }
    }

    /**
     * Streams one chain in sequence order to {@code consumer} with a server-side cursor, so verification of a
     * chain of any length runs in constant memory. Must be called inside a transaction (cursors need one).
     */
    public <T> T streamChain(String chainId, Function<Iterator<AuditRecord>, T> consumer) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT " + COLUMNS + " FROM audit_event WHERE chain_id = ? ORDER BY sequence")) {
            statement.setFetchSize(1000);
            statement.setString(1, chainId);
            try (ResultSet rows = statement.executeQuery()) {
                return consumer.apply(new RowIterator(rows));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("audit chain read failed", e);
        }
    }

    /** Streams the events of a chain between two sequence numbers (inclusive), in order; needs a transaction. */
    public <T> T streamRange(String chainId, long first, long last, Function<Iterator<AuditRecord>, T> consumer) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                     + " FROM audit_event WHERE chain_id = ? AND sequence BETWEEN ? AND ? ORDER BY sequence")) {
            statement.setFetchSize(1000);
            statement.setString(1, chainId);
            statement.setLong(2, first);
            statement.setLong(3, last);
            try (ResultSet rows = statement.executeQuery()) {
                return consumer.apply(new RowIterator(rows));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("audit chain read failed", e);
        }
    }

    /** The purge point a chain's head records; {@link PurgeAnchor#NONE} when nothing was purged. */
    public PurgeAnchor purgeAnchor(String chainId) {
        List<Tuple> rows = Rows.tuples(entityManager.createNativeQuery(
                "SELECT purged_through, anchor_hash::text AS anchor_hash FROM audit_chain_head WHERE chain_id = ?1", Tuple.class)
                .setParameter(1, chainId));
        return rows.isEmpty() ? PurgeAnchor.NONE : purgeAnchor(rows.getFirst());
    }

    /** The newest purge record of a chain. */
    public Optional<PurgeAnchor> latestPurge(String chainId) {
        List<Tuple> rows = Rows.tuples(entityManager.createNativeQuery("""
                        SELECT purged_through, anchor_hash::text AS anchor_hash FROM audit_purge WHERE chain_id = ?1
                        ORDER BY purged_through DESC LIMIT 1""", Tuple.class)
                .setParameter(1, chainId));
        return rows.isEmpty() ? Optional.empty() : Optional.of(purgeAnchor(rows.getFirst()));
    }

    /** The first purge record of a chain that does not sit on the last event of one of its digests. */
    public Optional<Long> firstPurgeOffDigest(String chainId) {
        @SuppressWarnings("unchecked")
        List<Number> purgedThrough = entityManager.createNativeQuery("""
                        SELECT p.purged_through FROM audit_purge p
                        LEFT JOIN audit_digest d ON d.chain_id = p.chain_id AND d.last_sequence = p.purged_through
                            AND d.last_event_hash = p.anchor_hash
                        WHERE p.chain_id = ?1 AND d.chain_id IS NULL ORDER BY p.purged_through LIMIT 1""")
                .setParameter(1, chainId).getResultList();
        return purgedThrough.isEmpty() ? Optional.empty() : Optional.of(purgedThrough.getFirst().longValue());
    }

    /** How many events after a purge point, of the given action, record that very purge. */
    public long countPurgeEvents(String chainId, long purgedThrough, String anchorHash, String purgeAction) {
        Number events = (Number) entityManager.createNativeQuery("""
                        SELECT count(*) FROM audit_event WHERE chain_id = ?1 AND sequence > ?2 AND action = ?3
                            AND after_state ->> 'purgedThrough' = ?4 AND after_state ->> 'anchorHash' = ?5""")
                .setParameter(1, chainId).setParameter(2, purgedThrough).setParameter(3, purgeAction)
                .setParameter(4, Long.toString(purgedThrough)).setParameter(5, anchorHash).getSingleResult();
        return events.longValue();
    }

    private static JsonNode parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored audit state is not JSON", e);
        }
    }

    private final class RowIterator implements Iterator<AuditRecord> {
        private final ResultSet rows;
        private Boolean hasNext;

        RowIterator(ResultSet rows) {
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            if (hasNext == null) {
                try {
                    hasNext = rows.next();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
            return hasNext;
        }

        @Override
        public AuditRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            hasNext = null;
            try {
                return AUDIT_RECORD.map(rows);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
