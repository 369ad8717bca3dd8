package dev.atrium.controlplane.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

import dev.atrium.compliance.audit.AuditChain;
import dev.atrium.controlplane.auth.ActorType;
import dev.atrium.controlplane.auth.Caller;
import dev.atrium.controlplane.auth.CallerContext;
import dev.atrium.controlplane.common.RequestContext;
import dev.atrium.controlplane.common.RequestMetadata;

/**
 * Appends events to the per-tenant hash chains. {@link #record} joins the caller's transaction, so a mutation
 * and its audit event commit or roll back together: if the audit write fails, the mutation does not happen.
 * Appends to one chain are serialised by a row lock on its head; different tenants append in parallel.
 */
@ApplicationScoped
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    private static final String SYSTEM_ACTOR = "system:atrium";

    private static final String LOCK_HEAD = """
            INSERT INTO audit_chain_head (chain_id, sequence, head_hash) VALUES (?, 0, ?)
            ON CONFLICT (chain_id) DO UPDATE SET sequence = audit_chain_head.sequence
            RETURNING sequence, head_hash""";
    private static final String INSERT_EVENT = """
            INSERT INTO audit_event (id, chain_id, sequence, tenant_id, occurred_at, actor_id, actor_type, action,
                resource_type, resource_id, outcome, detail, request_id, source_ip, user_agent, before_state,
                after_state, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)""";
    private static final String MOVE_HEAD = "UPDATE audit_chain_head SET sequence = ?, head_hash = ? WHERE chain_id = ?";

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper objectMapper;

    /** Appends within the current transaction (which must exist). */
    @Transactional(Transactional.TxType.MANDATORY)
    public AuditRecord record(AuditEntry entry) {
        try {
            return append(entry);
        } catch (SQLException e) {
            throw new AuditWriteException(e);
        }
    }

    /**
     * Appends in a transaction of its own, for events that must be kept although the request fails (denials,
     * failed authentication). A failure here is logged, never thrown over the original error.
     */
    public void recordIndependently(AuditEntry entry) {
        try {
            QuarkusTransaction.requiringNew().run(() -> record(entry));
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not write audit event %s", entry.action);
        }
    }

    private AuditRecord append(AuditEntry entry) throws SQLException {
        String chainId = AuditRecord.chainOf(entry.tenantId);
        try (Connection connection = dataSource.getConnection()) {
            long sequence;
            String prevHash;
            try (PreparedStatement lock = connection.prepareStatement(LOCK_HEAD)) {
                lock.setString(1, chainId);
                lock.setString(2, AuditChain.GENESIS_HASH);
                try (ResultSet head = lock.executeQuery()) {
                    head.next();
                    sequence = head.getLong(1) + 1;
                    prevHash = head.getString(2);
                }
            }
            AuditRecord unhashed = build(entry, chainId, sequence, prevHash);
            String hash = AuditChain.hash(unhashed.content(), prevHash);
            AuditRecord stored = unhashed.withHash(hash);
            insert(connection, stored);
            try (PreparedStatement move = connection.prepareStatement(MOVE_HEAD)) {
                move.setLong(1, sequence);
                move.setString(2, hash);
                move.setString(3, chainId);
                move.executeUpdate();
            }
            return stored;
        }
    }

    private AuditRecord build(AuditEntry entry, String chainId, long sequence, String prevHash) {
        Actor actor = actorOf(entry);
        RequestMetadata request = entry.request != null ? entry.request : currentRequest();
        return new AuditRecord(UUID.randomUUID(), chainId, sequence, entry.tenantId,
                Instant.now().truncatedTo(ChronoUnit.MICROS), // PostgreSQL keeps microseconds; hash what is stored
                actor.id(), actor.type().value(), entry.action, entry.resourceType, entry.resourceId, entry.outcome,
                truncate(entry.detail, 1000),
                request == null ? null : request.requestId(),
                request == null ? null : request.sourceIp(),
                request == null ? null : request.userAgent(),
                snapshot(entry.before), snapshot(entry.after), prevHash, null);
    }

    private void insert(Connection connection, AuditRecord r) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENT)) {
            insert.setObject(1, r.id());
            insert.setString(2, r.chainId());
            insert.setLong(3, r.sequence());
            insert.setObject(4, r.tenantId());
            insert.setTimestamp(5, Timestamp.from(r.occurredAt()));
            insert.setString(6, r.actorId());
            insert.setString(7, r.actorType());
            insert.setString(8, r.action());
            insert.setString(9, r.resourceType());
            insert.setString(10, r.resourceId());
            insert.setString(11, r.outcome().name());
            insert.setString(12, r.detail());
            insert.setString(13, r.requestId());
            insert.setString(14, r.sourceIp());
            insert.setString(15, r.userAgent());
            setJson(insert, 16, r.before());
            setJson(insert, 17, r.after());
            insert.setString(18, r.prevHash());
            insert.setString(19, r.hash());
            insert.executeUpdate();
        }
    }

    private void setJson(PreparedStatement statement, int index, JsonNode value) throws SQLException {
        if (value == null || value.isNull()) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value.toString());
        }
    }

    private JsonNode snapshot(Object state) {
        if (state == null) {
            return null;
        }
        return SecretRedactor.redact(objectMapper.valueToTree(state));
    }

    private Actor actorOf(AuditEntry entry) {
        if (entry.actorId != null) {
            return new Actor(entry.actorId, entry.actorType);
        }
        if (Arc.container().requestContext().isActive()) {
            Caller caller = Arc.container().instance(CallerContext.class).get().current().orElse(null);
            if (caller != null) {
                return new Actor(caller.actorId(), caller.actorType());
            }
        }
        return new Actor(SYSTEM_ACTOR, ActorType.SYSTEM);
    }

    private static RequestMetadata currentRequest() {
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        try {
            return Arc.container().instance(RequestContext.class).get().metadata();
        } catch (RuntimeException notAnHttpRequest) {
            return null;
        }
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private record Actor(String id, ActorType type) {
    }
}
