package dev.atrium.controlplane.region;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.atrium.controlplane.common.Jdbc;
import dev.atrium.controlplane.common.Rows;

/** Regions in PostgreSQL; joins the caller's transaction. */
@ApplicationScoped
public class RegionRepository {

    private static final String COLUMNS = """
            name, zone, endpoint, kind, kubernetes::text AS kubernetes, schedulable, status, status_detail, probed_at,
            created_at, updated_at, version,
            (SELECT count(*) FROM placement p WHERE p.primary_region = region.name OR region.name = ANY (p.standby_regions))
                AS placed_tenants""";

    @Inject
    Jdbc jdbc;

    @Inject
    ObjectMapper json;

    /** Row mapper for {@link #COLUMNS}. */
    private Region region(ResultSet row) throws SQLException {
        String kubernetes = row.getString("kubernetes");
        try {
            return new Region(row.getString("name"), row.getString("zone"), row.getString("endpoint"),
                    RegionKind.of(row.getString("kind")),
                    kubernetes == null ? null : json.readValue(kubernetes, KubernetesSettings.class), row.getBoolean("schedulable"),
                    row.getInt("placed_tenants"), row.getString("status"), row.getString("status_detail"), Rows.instant(row, "probed_at"),
                    row.getTimestamp("created_at").toInstant(), row.getTimestamp("updated_at").toInstant(), row.getLong("version"));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable kubernetes settings of region " + row.getString("name"), e);
        }
    }

    public List<Region> all() {
        return jdbc.query("SELECT " + COLUMNS + " FROM region ORDER BY name", this::region);
    }

    public List<Region> inZone(String zone) {
        return jdbc.query("SELECT " + COLUMNS + " FROM region WHERE zone = ? ORDER BY name", this::region, zone);
    }

    public Optional<Region> find(String name) {
        return jdbc.query("SELECT " + COLUMNS + " FROM region WHERE name = ?", this::region, name).stream().findFirst();
    }

    /** The region row locked for an update in the caller's transaction. */
    public Optional<Region> lock(String name) {
        return jdbc.query("SELECT " + COLUMNS + " FROM region WHERE name = ? FOR UPDATE", this::region, name).stream().findFirst();
    }

    public boolean insert(Region region) {
        return jdbc.update("""
                INSERT INTO region (name, zone, endpoint, kind, kubernetes, schedulable, created_at, updated_at)
                VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?) ON CONFLICT (name) DO NOTHING""",
                region.name(), region.zone(), region.endpoint(), region.kind().value(), toJson(region.kubernetes()), region.schedulable(),
                Timestamp.from(region.createdAt()), Timestamp.from(region.updatedAt())) == 1;
    }

    public void save(Region region) {
        jdbc.update("""
                UPDATE region SET endpoint = ?, kubernetes = CAST(? AS jsonb), schedulable = ?, updated_at = ?, version = version + 1
                WHERE name = ?""", region.endpoint(), toJson(region.kubernetes()), region.schedulable(), Timestamp.from(region.updatedAt()),
                region.name());
    }

    public void recordProbe(String name, String status, String detail, Instant at) {
        jdbc.update("UPDATE region SET status = ?, status_detail = ?, probed_at = ? WHERE name = ?", status, detail, Timestamp.from(at), name);
    }

    public void delete(String name) {
        jdbc.update("DELETE FROM region WHERE name = ?", name);
    }

    /** Tenants whose primary region each region is (regions without any: 0). */
    public Map<String, Integer> primaryCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        jdbc.query("""
                SELECT r.name, (SELECT count(*) FROM placement p WHERE p.primary_region = r.name) AS tenants
                FROM region r""", row -> counts.put(row.getString("name"), row.getInt("tenants")));
        return counts;
    }

    /** Tenants placed in the region, as primary or standby. */
    public int placedTenants(String name) {
        List<Integer> count = jdbc.query("SELECT count(*) AS tenants FROM placement WHERE primary_region = ? OR ? = ANY (standby_regions)",
                row -> row.getInt("tenants"), name, name);
        return count.getFirst();
    }

    private String toJson(KubernetesSettings settings) {
        try {
            return settings == null ? null : json.writeValueAsString(settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
