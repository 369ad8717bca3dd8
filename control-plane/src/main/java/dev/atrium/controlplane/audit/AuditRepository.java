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
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.atrium.controlplane.trail.AuditRecord;
import dev.atrium.controlplane.trail.Outcome;

/** Reads the audit trail with plain SQL: filtered pages for the API, and whole chains streamed for verification. */
@ApplicationScoped
public class AuditRepository {

    private static final String COLUMNS = """
            id, chain_id, sequence, tenant_id, occurred_at, actor_id, actor_type, action, resource_type, resource_id,
            outcome, detail, request_id, source_ip, user_agent, before_state::text, after_state::text, prev_hash, hash""";

    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Inject
    DataSource dataSource;

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
                    records.add(map(rows));
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

    private AuditRecord map(ResultSet rows) throws SQLException {
        return new AuditRecord(
                rows.getObject(1, UUID.class), rows.getString(2), rows.getLong(3), rows.getObject(4, UUID.class),
                rows.getTimestamp(5).toInstant(), rows.getString(6), rows.getString(7), rows.getString(8),
                rows.getString(9), rows.getString(10), Outcome.valueOf(rows.getString(11)), rows.getString(12),
                rows.getString(13), rows.getString(14), rows.getString(15), parse(rows.getString(16)),
                parse(rows.getString(17)), rows.getString(18), rows.getString(19));
    }

    private JsonNode parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
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
                return map(rows);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
