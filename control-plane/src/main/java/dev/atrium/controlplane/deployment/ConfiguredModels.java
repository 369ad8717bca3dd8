package dev.atrium.controlplane.deployment;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.atrium.contract.ConfiguredModelReport;
import dev.atrium.controlplane.common.Jdbc;
import dev.atrium.controlplane.common.RowMapper;
import dev.atrium.controlplane.common.Rows;

/**
 * The model backends static regions' data planes are configured with ({@code atrium.models.*}): platform-wide, served
 * in that region only, changed in the data plane's configuration, never through the API. Each report replaces the
 * region's set.
 */
@ApplicationScoped
public class ConfiguredModels {

    /** One configured backend of a region, as the platform's deployments list shows it (no key: whether one is set). */
    public record Configured(String region, String name, String kind, String url, String upstreamModel, String fallback,
                             boolean hasKey, boolean restricted, Instant reportedAt) {
    }

    private static final RowMapper<Configured> MAPPER = row -> new Configured(row.getString("region"), row.getString("name"),
            row.getString("kind"), row.getString("url"), row.getString("upstream_model"), row.getString("fallback"),
            row.getBoolean("has_key"), row.getBoolean("restricted"), Rows.instant(row, "reported_at"));

    @Inject
    Jdbc jdbc;

    public List<Configured> all() {
        return jdbc.query("SELECT region, name, kind, url, upstream_model, fallback, has_key, restricted, reported_at "
                + "FROM configured_model ORDER BY region, name", MAPPER);
    }

    @Transactional
    public void replace(String region, ConfiguredModelReport report) {
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update("DELETE FROM configured_model WHERE region = ?", region);
        for (ConfiguredModelReport.Model model : report.models()) {
            jdbc.update("""
                    INSERT INTO configured_model (region, name, kind, url, upstream_model, fallback, has_key, restricted, reported_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (region, name) DO NOTHING""",
                    region, model.name(), model.kind(), model.url(), model.upstreamModel(), model.fallback(), model.hasKey(),
                    model.restricted(), now);
        }
    }
}
