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
            + "timeout_seconds, fallback, created_at, created_by, updated_at, updated_by, version, gpu_pool, gpus_per_replica, "
            + "min_replicas, max_replicas, cpu, memory, idle_minutes";
    private static final RowMapper<Deployment> MAPPER = DeploymentRepository::deployment;

    @Inject
    Jdbc jdbc;

    private static Deployment deployment(ResultSet row) throws SQLException {
        boolean selfHosted = Deployment.SELF_HOSTED.equals(row.getString("kind"));
        return new Deployment(row.getString("name"), row.getString("model"), row.getString("model_version"),
                row.getString("kind"), selfHosted ? null : new Deployment.Upstream(row.getString("upstream_url"),
                        row.getString("upstream_model"), row.getString("api_key_secret"), row.getInt("timeout_seconds")),
                row.getString("fallback"), Rows.instant(row, "created_at"), row.getString("created_by"),
                Rows.instant(row, "updated_at"), row.getString("updated_by"), row.getLong("version"),
                selfHosted ? new Deployment.SelfHosted(row.getString("gpu_pool"), row.getBigDecimal("gpus_per_replica").stripTrailingZeros(),
                        row.getInt("min_replicas"), row.getInt("max_replicas"), row.getString("cpu"), row.getString("memory"),
                        row.getInt("idle_minutes")) : null, null);
    }

    /** A self-hosted deployment of some tenant with the last time a data plane asked for it (null: never). */
    /** @param serverSlot which of its two model-server slots ('a' or 'b') serves the deployment's version */
    public record Demanded(String owner, Deployment deployment, Instant lastDemandAt, String serverSlot) {
    }

    /** The owner's self-hosted deployments, with their last demand and serving slot. */
    public List<Demanded> selfHosted(String owner) {
        return jdbc.query("SELECT owner, last_demand_at, server_slot, " + COLUMNS + " FROM model_deployment WHERE owner = ? "
                + "AND kind = 'self-hosted' ORDER BY name", row -> new Demanded(row.getString("owner"), deployment(row),
                Rows.instant(row, "last_demand_at"), row.getString("server_slot")), owner);
    }

    /** By name, the slot serving each of the owner's self-hosted deployments. */
    public java.util.Map<String, String> serverSlots(String owner) {
        java.util.Map<String, String> slots = new java.util.HashMap<>();
        jdbc.query("SELECT name, server_slot FROM model_deployment WHERE owner = ? AND kind = 'self-hosted'",
                row -> slots.put(row.getString("name"), row.getString("server_slot")), owner);
        return slots;
    }

    /** A promoted candidate's server, in the other slot, now serves the deployment. */
    public void flipServerSlot(String owner, String name) {
        jdbc.update("UPDATE model_deployment SET server_slot = CASE server_slot WHEN 'a' THEN 'b' ELSE 'a' END "
                + "WHERE owner = ? AND name = ?", owner, name);
    }

    /**
     * Records that a data plane asked for the deployment now, at most every {@code every}; the time before, or empty
     * when nothing was written (recorded recently, or no such self-hosted deployment).
     */
    public Optional<Optional<Instant>> demand(String owner, String name, Instant now, java.time.Duration every) {
        List<Optional<Instant>> before = jdbc.query("""
                UPDATE model_deployment d SET last_demand_at = ?
                FROM (SELECT id, last_demand_at FROM model_deployment WHERE owner = ? AND name = ? AND kind = 'self-hosted'
                      FOR UPDATE) previous
                WHERE d.id = previous.id AND (previous.last_demand_at IS NULL OR previous.last_demand_at < ?)
                RETURNING previous.last_demand_at""", row -> Optional.ofNullable(Rows.instant(row, "last_demand_at")),
                timestamp(now), owner, name, timestamp(now.minus(every)));
        return before.stream().findFirst();
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
        Deployment.Upstream upstream = upstreamOf(deployment);
        Deployment.SelfHosted server = deployment.selfHosted();
        return jdbc.update("""
                INSERT INTO model_deployment (id, owner, name, model, model_version, kind, upstream_url, upstream_model,
                    api_key_secret, timeout_seconds, fallback, created_at, created_by, updated_at, updated_by, gpu_pool,
                    gpus_per_replica, min_replicas, max_replicas, cpu, memory, idle_minutes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (owner, name) DO NOTHING""",
                UUID.randomUUID(), owner, deployment.name(), deployment.model(), deployment.version(), deployment.kind(),
                upstream.url(), upstream.model(), upstream.apiKeySecret(), upstream.timeoutSeconds(), deployment.fallback(),
                timestamp(deployment.createdAt()), deployment.createdBy(), timestamp(deployment.updatedAt()), deployment.updatedBy(),
                server == null ? null : server.gpuPool(), server == null ? null : server.gpus(),
                server == null ? null : server.minReplicas(), server == null ? null : server.maxReplicas(),
                server == null ? null : server.cpu(), server == null ? null : server.memory(),
                server == null ? null : server.idleMinutes()) > 0;
    }

    public void update(String owner, Deployment deployment) {
        Deployment.Upstream upstream = upstreamOf(deployment);
        Deployment.SelfHosted server = deployment.selfHosted();
        jdbc.update("""
                UPDATE model_deployment SET model_version = ?, upstream_url = ?, upstream_model = ?, api_key_secret = ?,
                    timeout_seconds = ?, fallback = ?, updated_at = ?, updated_by = ?, version = version + 1, gpu_pool = ?,
                    gpus_per_replica = ?, min_replicas = ?, max_replicas = ?, cpu = ?, memory = ?, idle_minutes = ?
                WHERE owner = ? AND name = ?""",
                deployment.version(), upstream.url(), upstream.model(), upstream.apiKeySecret(), upstream.timeoutSeconds(),
                deployment.fallback(), timestamp(deployment.updatedAt()), deployment.updatedBy(),
                server == null ? null : server.gpuPool(), server == null ? null : server.gpus(),
                server == null ? null : server.minReplicas(), server == null ? null : server.maxReplicas(),
                server == null ? null : server.cpu(), server == null ? null : server.memory(),
                server == null ? null : server.idleMinutes(), owner, deployment.name());
    }

    /** A self-hosted deployment stores no backend, only the timeout of the calls to its server. */
    private static Deployment.Upstream upstreamOf(Deployment deployment) {
        return deployment.upstream() != null ? deployment.upstream()
                : new Deployment.Upstream(null, null, null, DeploymentService.DEFAULT_TIMEOUT_SECONDS);
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
