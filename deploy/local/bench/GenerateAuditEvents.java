import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import dev.atrium.compliance.audit.AuditChain;
import dev.atrium.controlplane.audit.AuditRecord;
import dev.atrium.controlplane.audit.Outcome;

/**
 * Appends COUNT valid events to a tenant's audit hash chain directly in PostgreSQL (as the schema owner), computing
 * each hash with the control plane's own record format, for the export-memory demonstration: going through the API
 * would take ~20 minutes per million events. Usage: GenerateAuditEvents <owner-jdbc-url> <owner-password> <tenant-id> <count>
 */
public class GenerateAuditEvents {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String ownerPassword = args[1];
        UUID tenant = UUID.fromString(args[2]);
        int count = Integer.parseInt(args[3]);
        String chain = tenant.toString();
        try (Connection connection = DriverManager.getConnection(url, "atrium_owner", ownerPassword)) {
            connection.setAutoCommit(false);
            connection.createStatement().execute("SELECT set_config('atrium.tenant_scope', '*', false)");
            long sequence;
            String prevHash;
            try (ResultSet head = connection.createStatement().executeQuery(
                    "SELECT sequence, head_hash FROM audit_chain_head WHERE chain_id = '" + chain + "'")) {
                head.next();
                sequence = head.getLong(1);
                prevHash = head.getString(2);
            }
            Instant time = Instant.now().minus(count / 1000 + 1, ChronoUnit.SECONDS).truncatedTo(ChronoUnit.MICROS);
            String[] actions = {"document.create", "knowledge-base.create", "apikey.create", "secret.update", "member.add"};
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO audit_event (id, chain_id, sequence, tenant_id, occurred_at, actor_id, actor_type, action,
                        resource_type, resource_id, outcome, detail, request_id, source_ip, user_agent, before_state,
                        after_state, prev_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, '127.0.0.1', 'export-memory-demo', NULL, NULL, ?, ?)""")) {
                long started = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    sequence++;
                    time = time.plus(1, ChronoUnit.MILLIS);
                    String action = actions[i % actions.length];
                    AuditRecord record = new AuditRecord(UUID.randomUUID(), chain, sequence, tenant, time, "apikey:" + new UUID(0, i % 50),
                            "api-key", action, action.substring(0, action.indexOf('.')), "r-" + i, Outcome.SUCCESS, null,
                            "req-" + i, "127.0.0.1", "export-memory-demo", null, null, prevHash, null);
                    String hash = AuditChain.hash(record.content(), prevHash);
                    insert.setObject(1, record.id());
                    insert.setString(2, chain);
                    insert.setLong(3, sequence);
                    insert.setObject(4, tenant);
                    insert.setTimestamp(5, Timestamp.from(time));
                    insert.setString(6, record.actorId());
                    insert.setString(7, record.actorType());
                    insert.setString(8, action);
                    insert.setString(9, record.resourceType());
                    insert.setString(10, record.resourceId());
                    insert.setString(11, Outcome.SUCCESS.name());
                    insert.setString(12, record.requestId());
                    insert.setString(13, prevHash);
                    insert.setString(14, hash);
                    insert.addBatch();
                    prevHash = hash;
                    if ((i + 1) % 5000 == 0) {
                        insert.executeBatch();
                        connection.commit();
                    }
                    if ((i + 1) % 200_000 == 0) {
                        System.out.printf("  %d events (%.0f/s)%n", i + 1, (i + 1) / ((System.nanoTime() - started) / 1e9));
                    }
                }
                insert.executeBatch();
            }
            try (PreparedStatement head = connection.prepareStatement("UPDATE audit_chain_head SET sequence = ?, head_hash = ? WHERE chain_id = ?")) {
                head.setLong(1, sequence);
                head.setString(2, prevHash);
                head.setString(3, chain);
                head.executeUpdate();
            }
            connection.commit();
            System.out.println("chain " + chain + " now ends at sequence " + sequence);
        }
    }
}
