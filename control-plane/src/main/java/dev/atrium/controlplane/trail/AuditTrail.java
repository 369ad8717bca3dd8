package dev.atrium.controlplane.trail;

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
import dev.atrium.controlplane.common.RequestContext;
import dev.atrium.controlplane.common.RequestMetadata;
import dev.atrium.controlplane.identity.ActorType;
import dev.atrium.controlplane.identity.Caller;
import dev.atrium.controlplane.identity.CallerContext;
import dev.atrium.controlplane.identity.TenantScope;

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
    // Moving the head and inserting the event is one round trip: the head row is already locked by LOCK_HEAD.
    private static final String INSERT_EVENT_AND_MOVE_HEAD = """
            WITH moved AS (UPDATE audit_chain_head SET sequence = ?, head_hash = ? WHERE chain_id = ?)
            INSERT INTO audit_event (id, chain_id, sequence, tenant_id, occurred_at, actor_id, actor_type, action,
                resource_type, resource_id, outcome, detail, request_id, source_ip, user_agent, before_state,
                after_state, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)""";

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
            // the entry names its chain; a denial may belong to a chain the caller's database scope excludes
            TenantScope.asPlatform(() -> {
                QuarkusTransaction.requiringNew().run(() -> record(entry));
                return null;
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not write audit event %s", entry.action);
        }
    }

    private AuditRecord append(AuditEntry entry) throws SQLException {
        String chainId = AuditRecord.chainOf(entry.tenantId);
        // serialising and redacting can take a while on large values: done before the chain's head is locked
        var before = snapshot(entry.before);
        var after = snapshot(entry.after);
        try (Connection connection = dataSource.getConnection()) {
            long sequence;
            String prevHash;
            try (PreparedStatement lock = connection.prepareStatement(LOCK_HEAD)) {
                lock.setString(1, chainId);
                lock.setString(2, AuditChain.GENESIS_HASH);
                try (ResultSet head = lock.executeQuery()) {
                    head.next();
                    sequence = head.getLong("sequence") + 1;
                    prevHash = head.getString("head_hash");
                }
            }
            AuditRecord unhashed = build(entry, chainId, sequence, prevHash, before, after);
            String hash = AuditChain.hash(unhashed.content(), prevHash);
            AuditRecord stored = unhashed.withHash(hash);
            insertAndMoveHead(connection, stored);
            return stored;
        }
    }

    private AuditRecord build(AuditEntry entry, String chainId, long sequence, String prevHash,
                              com.fasterxml.jackson.databind.JsonNode before, com.fasterxml.jackson.databind.JsonNode after) {
        Actor actor = actorOf(entry);
        RequestMetadata request = entry.request != null ? entry.request : currentRequest();
        return new AuditRecord(UUID.randomUUID(), chainId, sequence, entry.tenantId,
                Instant.now().truncatedTo(ChronoUnit.MICROS), // PostgreSQL keeps microseconds; hash what is stored
                actor.id(), actor.type().value(), entry.action, entry.resourceType, entry.resourceId, entry.outcome,
                truncate(entry.detail, 1000),
                request == null ? null : request.requestId(),
                request == null ? null : request.sourceIp(),
                request == null ? null : request.userAgent(),
                before, after, prevHash, null);
    }

    private void insertAndMoveHead(Connection connection, AuditRecord r) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENT_AND_MOVE_HEAD)) {
            int i = 3;
            insert.setLong(1, r.sequence());
            insert.setString(2, r.hash());
            insert.setString(3, r.chainId());
            insert.setObject(++i, r.id());
            insert.setString(++i, r.chainId());
            insert.setLong(++i, r.sequence());
            insert.setObject(++i, r.tenantId());
            insert.setTimestamp(++i, Timestamp.from(r.occurredAt()));
            insert.setString(++i, r.actorId());
            insert.setString(++i, r.actorType());
            insert.setString(++i, r.action());
            insert.setString(++i, r.resourceType());
            insert.setString(++i, r.resourceId());
            insert.setString(++i, r.outcome().name());
            insert.setString(++i, r.detail());
            insert.setString(++i, r.requestId());
            insert.setString(++i, r.sourceIp());
            insert.setString(++i, r.userAgent());
            setJson(insert, ++i, r.before());
            setJson(insert, ++i, r.after());
            insert.setString(++i, r.prevHash());
            insert.setString(++i, r.hash());
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
