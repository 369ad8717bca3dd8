package dev.atrium.controlplane.deadletter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.atrium.contract.BatchReceipt;
import dev.atrium.contract.DeadLetterReport;
import dev.atrium.contract.ReportedDeadLetter;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.Cursor;
import dev.atrium.controlplane.common.Page;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.identity.Caller;
import dev.atrium.controlplane.identity.ServiceBinding;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;

/**
 * Outbox events that data planes parked because the control plane refused them for good. Recorded once per event id
 * (a report shipped twice adds nothing), with the reporting service and its region, and listed for platform admins
 * newest first. Each report is audited in the platform chain.
 */
@ApplicationScoped
public class DeadLetters {

    @Inject
    DataSource dataSource;

    @Inject
    AuditTrail auditTrail;

    @Transactional
    public BatchReceipt record(DeadLetterReport report, Caller service) {
        // a dead letter may name a tenant deleted since, so the binding is checked here rather than against live tenants
        ServiceBinding binding = service.service();
        if (binding == null || report.deadLetters().stream().anyMatch(letter -> !binding.covers(letter.tenantId()))) {
            throw new ApiException(ProblemType.FORBIDDEN, "this service key may only report dead letters of "
                    + (binding == null ? "its tenants" : binding.describe()));
        }
        String region = service.region() == null ? "unknown" : service.region();
        int accepted = 0;
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO dead_letter (event_id, region, stream, tenant_id, status, reason, parked_at, reported_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING""")) {
            for (ReportedDeadLetter letter : report.deadLetters()) {
                insert.setObject(1, letter.eventId());
                insert.setString(2, region);
                insert.setString(3, letter.stream());
                insert.setObject(4, letter.tenantId());
                insert.setInt(5, letter.status());
                insert.setString(6, letter.reason());
                insert.setTimestamp(7, Timestamp.from(letter.parkedAt()));
                insert.setString(8, service.actorId());
                accepted += insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not record dead letters", e);
        }
        BatchReceipt receipt = new BatchReceipt(accepted, report.deadLetters().size() - accepted);
        auditTrail.record(AuditEntry.success("dead-letter.report").resource("dead-letter-report", report.deadLetters().getFirst().eventId())
                .actor(service).after(Map.of("deadLetters", report.deadLetters().size(), "accepted", receipt.accepted(),
                        "duplicates", receipt.duplicates(), "region", region)));
        return receipt;
    }

    /** Newest first, optionally of one region and one stream; keyset pagination by parking time and event id. */
    public Page<DeadLetterView> list(String region, String stream, Integer limit, String cursor) {
        if (stream != null && !stream.equals("usage") && !stream.equals("audit")) {
            throw ApiException.invalid("stream", "must be usage or audit");
        }
        int size = Cursor.limit(limit);
        Cursor before = Cursor.decode(cursor);
        StringBuilder sql = new StringBuilder("""
                SELECT event_id, region, stream, tenant_id, status, reason, parked_at, reported_at, reported_by
                FROM dead_letter WHERE true""");
        List<Object> parameters = new ArrayList<>();
        if (region != null) {
            sql.append(" AND region = ?");
            parameters.add(region);
        }
        if (stream != null) {
            sql.append(" AND stream = ?");
            parameters.add(stream);
        }
        if (before != null) {
            sql.append(" AND (parked_at, event_id) < (?, ?)");
            parameters.add(Timestamp.from(before.time()));
            parameters.add(before.id());
        }
        sql.append(" ORDER BY parked_at DESC, event_id DESC LIMIT ?");
        parameters.add(size + 1);
        List<DeadLetterView> letters = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                query.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    letters.add(new DeadLetterView(row.getObject(1, UUID.class), row.getString(2), row.getString(3),
                            row.getObject(4, UUID.class), row.getInt(5), row.getString(6), row.getTimestamp(7).toInstant(),
                            row.getTimestamp(8).toInstant(), row.getString(9)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not list dead letters", e);
        }
        if (letters.size() <= size) {
            return new Page<>(letters, null);
        }
        List<DeadLetterView> page = letters.subList(0, size);
        return new Page<>(List.copyOf(page), new Cursor(page.getLast().parkedAt(), page.getLast().eventId()).encode());
    }
}
