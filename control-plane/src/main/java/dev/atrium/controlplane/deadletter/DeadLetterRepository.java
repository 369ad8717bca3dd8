package dev.atrium.controlplane.deadletter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.atrium.contract.ReportedDeadLetter;
import dev.atrium.controlplane.common.Cursor;
import dev.atrium.controlplane.common.Jdbc;
import dev.atrium.controlplane.common.RowMapper;
import dev.atrium.controlplane.common.Rows;

/** The {@code dead_letter} table: one row per parked outbox event, keyed by its event id. */
@ApplicationScoped
public class DeadLetterRepository {

    private static final RowMapper<DeadLetterView> DEAD_LETTER = rows -> new DeadLetterView(
            rows.getObject("event_id", UUID.class), rows.getString("region"), rows.getString("stream"),
            rows.getObject("tenant_id", UUID.class), rows.getInt("status"), rows.getString("reason"),
            Rows.instant(rows, "parked_at"), Rows.instant(rows, "reported_at"), rows.getString("reported_by"));

    @Inject
    DataSource dataSource;

    @Inject
    Jdbc jdbc;

    /** Inserts the letters not recorded yet and returns how many were new. */
    public int insertNew(List<ReportedDeadLetter> letters, String region, String reportedBy) {
        int inserted = 0;
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO dead_letter (event_id, region, stream, tenant_id, status, reason, parked_at, reported_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING""")) {
            for (ReportedDeadLetter letter : letters) {
                insert.setObject(1, letter.eventId());
                insert.setString(2, region);
                insert.setString(3, letter.stream());
                insert.setObject(4, letter.tenantId());
                insert.setInt(5, letter.status());
                insert.setString(6, letter.reason());
                insert.setTimestamp(7, Timestamp.from(letter.parkedAt()));
                insert.setString(8, reportedBy);
                inserted += insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not record dead letters", e);
        }
        return inserted;
    }

    /** Up to {@code limit} letters older than {@code before} (all when null), newest first, optionally filtered. */
    public List<DeadLetterView> page(String region, String stream, Cursor before, int limit) {
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
        parameters.add(limit);
        return jdbc.query(sql.toString(), DEAD_LETTER, parameters.toArray());
    }
}
