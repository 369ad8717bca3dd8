package dev.atrium.controlplane.deployment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.atrium.controlplane.common.Jdbc;
import dev.atrium.controlplane.common.RowMapper;
import dev.atrium.controlplane.common.Rows;

/**
 * {@code model_deployment} rows; row-level security keeps each tenant to its own rows (it may read the platform's,
 * which nothing creates yet, and never write them).
 */
@ApplicationScoped
public class DeploymentRepository {

    private static final String COLUMNS = "name, model, model_version, kind, upstream_url, upstream_model, api_key_secret, "
            + "timeout_seconds, fallback, created_at, created_by, updated_at, updated_by, version";
    private static final RowMapper<Deployment> MAPPER = DeploymentRepository::deployment;

    @Inject
    Jdbc jdbc;

    private static Deployment deployment(ResultSet row) throws SQLException {
        return new Deployment(row.getString("name"), row.getString("model"), row.getString("model_version"),
                row.getString("kind"), new Deployment.Upstream(row.getString("upstream_url"), row.getString("upstream_model"),
                        row.getString("api_key_secret"), row.getInt("timeout_seconds")), row.getString("fallback"),
                Rows.instant(row, "created_at"), row.getString("created_by"), Rows.instant(row, "updated_at"),
                row.getString("updated_by"), row.getLong("version"));
    }

    public List<Deployment> list(String owner) {
        return jdbc.query("SELECT " + COLUMNS + " FROM model_deployment WHERE owner = ? ORDER BY name", MAPPER, owner);
    }

    public Optional<Deployment> find(String owner, String name) {
        return jdbc.query("SELECT " + COLUMNS + " FROM model_deployment WHERE owner = ? AND name = ?", MAPPER, owner, name)
                .stream().findFirst();
    }

    public Optional<Deployment> lock(String owner, String name) {
        return jdbc.query("SELECT " + COLUMNS + " FROM model_deployment WHERE owner = ? AND name = ? FOR UPDATE", MAPPER,
                owner, name).stream().findFirst();
    }

    /** False when the owner already has a deployment of that name. */
    public boolean insert(String owner, Deployment deployment) {
        return jdbc.update("""
                INSERT INTO model_deployment (id, owner, name, model, model_version, kind, upstream_url, upstream_model,
                    api_key_secret, timeout_seconds, fallback, created_at, created_by, updated_at, updated_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (owner, name) DO NOTHING""",
                UUID.randomUUID(), owner, deployment.name(), deployment.model(), deployment.version(), deployment.kind(),
                deployment.upstream().url(), deployment.upstream().model(), deployment.upstream().apiKeySecret(),
                deployment.upstream().timeoutSeconds(), deployment.fallback(), timestamp(deployment.createdAt()), deployment.createdBy(),
                timestamp(deployment.updatedAt()), deployment.updatedBy()) > 0;
    }

    public void update(String owner, Deployment deployment) {
        jdbc.update("""
                UPDATE model_deployment SET model_version = ?, upstream_url = ?, upstream_model = ?, api_key_secret = ?,
                    timeout_seconds = ?, fallback = ?, updated_at = ?, updated_by = ?, version = version + 1
                WHERE owner = ? AND name = ?""",
                deployment.version(), deployment.upstream().url(), deployment.upstream().model(),
                deployment.upstream().apiKeySecret(), deployment.upstream().timeoutSeconds(), deployment.fallback(),
                timestamp(deployment.updatedAt()), deployment.updatedBy(), owner, deployment.name());
    }

    public boolean delete(String owner, String name) {
        return jdbc.update("DELETE FROM model_deployment WHERE owner = ? AND name = ?", owner, name) > 0;
    }

    /** Every deployment of a tenant goes with it. */
    public int deleteAll(String owner) {
        return jdbc.update("DELETE FROM model_deployment WHERE owner = ?", owner);
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.from(instant);
    }
}
