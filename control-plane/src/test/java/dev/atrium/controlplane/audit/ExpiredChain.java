package dev.atrium.controlplane.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.atrium.compliance.audit.AuditChain;
import dev.atrium.controlplane.identity.ActorType;
import dev.atrium.controlplane.testing.Api;
import dev.atrium.controlplane.trail.AuditRecord;
import dev.atrium.controlplane.trail.Outcome;

/**
 * A tenant chain whose first events are older than any retention period. Retention is judged by the database's
 * own clock, so the only way to have expired events in a test is to write them with old timestamps: they are
 * inserted with the owner's connection, hashed and linked exactly as the application links its events, and then
 * get signed digests from the application like any other chain.
 */
record ExpiredChain(UUID tenantId, List<String> hashes) {

    static final Duration AGE = Duration.ofDays(500);

    /** Writes {@code count} events, one minute apart, starting {@link #AGE} ago. */
    static ExpiredChain create(int count) {
        UUID tenantId = UUID.randomUUID();
        String chain = tenantId.toString();
        Instant start = Instant.now().minus(AGE).truncatedTo(ChronoUnit.MICROS);
        List<String> hashes = new ArrayList<>();
        String prev = AuditChain.GENESIS_HASH;
        try (Connection owner = Api.ownerConnection(); PreparedStatement insert = owner.prepareStatement("""
                INSERT INTO audit_event (id, chain_id, sequence, tenant_id, occurred_at, actor_id, actor_type, action,
                    resource_type, resource_id, outcome, after_state, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)""")) {
            for (int sequence = 1; sequence <= count; sequence++) {
                AuditRecord event = new AuditRecord(UUID.randomUUID(), chain, sequence, tenantId,
                        start.plus(Duration.ofMinutes(sequence)), "system:atrium", ActorType.SYSTEM.value(), "test.old-event",
                        "tenant", chain, Outcome.SUCCESS, null, null, null, null, null,
                        JsonNodeFactory.instance.objectNode().put("n", sequence), prev, null);
                String hash = AuditChain.hash(event.content(), prev);
                int i = 0;
                insert.setObject(++i, event.id());
                insert.setString(++i, chain);
                insert.setLong(++i, sequence);
                insert.setObject(++i, tenantId);
                insert.setTimestamp(++i, Timestamp.from(event.occurredAt()));
                insert.setString(++i, event.actorId());
                insert.setString(++i, event.actorType());
                insert.setString(++i, event.action());
                insert.setString(++i, event.resourceType());
                insert.setString(++i, event.resourceId());
                insert.setString(++i, event.outcome().name());
                insert.setString(++i, event.after().toString());
                insert.setString(++i, prev);
                insert.setString(++i, hash);
                insert.executeUpdate();
                hashes.add(hash);
                prev = hash;
            }
            try (PreparedStatement head = owner.prepareStatement(
                    "INSERT INTO audit_chain_head (chain_id, sequence, head_hash) VALUES (?, ?, ?)")) {
                head.setString(1, chain);
                head.setLong(2, count);
                head.setString(3, prev);
                head.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new ExpiredChain(tenantId, hashes);
    }

    String chainId() {
        return tenantId.toString();
    }

    String path() {
        return "/api/v1/tenants/" + tenantId;
    }

    /** The stored hash of event {@code sequence} (1-based) as this fixture wrote it. */
    String hashOf(long sequence) {
        return hashes.get((int) sequence - 1);
    }

    long events() {
        return single("SELECT count(*) FROM audit_event WHERE chain_id = '" + tenantId + "'");
    }

    /** The last sequences of the chain's digests, in order. */
    List<Long> digestBoundaries() {
        List<Long> boundaries = new ArrayList<>();
        try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement();
             ResultSet rows = statement.executeQuery("SELECT last_sequence FROM audit_digest WHERE chain_id = '"
                     + tenantId + "' ORDER BY digest_sequence")) {
            while (rows.next()) {
                boundaries.add(rows.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return boundaries;
    }

    long single(String sql) {
        try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
