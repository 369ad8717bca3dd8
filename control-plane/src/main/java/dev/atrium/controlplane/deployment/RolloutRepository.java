package dev.atrium.controlplane.deployment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.atrium.contract.VersionSample;
import dev.atrium.controlplane.common.Jdbc;
import dev.atrium.controlplane.common.RowMapper;
import dev.atrium.controlplane.common.Rows;

/** {@code deployment_rollout}, its decisions and the samples data planes report; row-level security per tenant. */
@ApplicationScoped
public class RolloutRepository {

    private static final String COLUMNS = "id, owner, deployment, strategy, stable_version, candidate_version, upstream_url, "
            + "upstream_model, api_key_secret, timeout_seconds, steps::text AS steps, sticky_by, slo::text AS slo, state, step, "
            + "step_started_at, started_at, started_by, ended_at, ended_by, reason, version";
    private static final TypeReference<List<Rollout.Step>> STEPS = new TypeReference<>() { };
    private static final TypeReference<List<Rollout.VersionMetrics>> METRICS = new TypeReference<>() { };
    private static final TypeReference<List<Long>> COUNTS = new TypeReference<>() { };

    /** A rollout and the tenant (registry owner) it belongs to, for the controller, which works across tenants. */
    public record Owned(String owner, Rollout rollout) {
    }

    /** The sum of the samples of one version over a span. */
    public record Totals(String version, String role, long requests, long errors, long guardrailBlocks, List<Long> latencyMs) {
    }

    @Inject
    Jdbc jdbc;

    @Inject
    ObjectMapper json;

    private final RowMapper<Owned> owned = row -> new Owned(row.getString("owner"), rollout(row));
    private final RowMapper<Rollout> rollouts = this::rollout;

    private Rollout rollout(ResultSet row) throws SQLException {
        return new Rollout(row.getObject("id", UUID.class), row.getString("deployment"), row.getString("strategy"),
                row.getString("stable_version"), row.getString("candidate_version"),
                // a self-hosted deployment's candidate runs on its second model server: no backend URL
                row.getString("upstream_url") == null ? null : new Deployment.Upstream(row.getString("upstream_url"),
                        row.getString("upstream_model"), row.getString("api_key_secret"), row.getInt("timeout_seconds")), read(row.getString("steps"), STEPS), row.getString("sticky_by"),
                read(row.getString("slo"), new TypeReference<Rollout.Slo>() { }), row.getString("state"), row.getInt("step"),
                Rows.instant(row, "step_started_at"), Rows.instant(row, "started_at"), row.getString("started_by"),
                Rows.instant(row, "ended_at"), row.getString("ended_by"), row.getString("reason"), row.getLong("version"));
    }

    public void insert(String owner, Rollout rollout) {
        jdbc.update("""
                INSERT INTO deployment_rollout (id, owner, deployment, strategy, stable_version, candidate_version, upstream_url,
                    upstream_model, api_key_secret, timeout_seconds, steps, sticky_by, slo, state, step, step_started_at,
                    started_at, started_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?, ?, ?)""",
                rollout.id(), owner, rollout.deployment(), rollout.strategy(), rollout.stableVersion(), rollout.candidateVersion(),
                rollout.upstream() == null ? null : rollout.upstream().url(), rollout.upstream() == null ? null : rollout.upstream().model(),
                rollout.upstream() == null ? null : rollout.upstream().apiKeySecret(),
                rollout.upstream() == null ? DeploymentService.DEFAULT_TIMEOUT_SECONDS : rollout.upstream().timeoutSeconds(), write(rollout.steps()), rollout.stickyBy(), write(rollout.slo()),
                rollout.state(), rollout.step(), timestamp(rollout.stepStartedAt()), timestamp(rollout.startedAt()),
                rollout.startedBy());
    }

    /** The deployment's newest rollout, running or ended. */
    public Optional<Rollout> latest(String owner, String deployment) {
        return jdbc.query("SELECT " + COLUMNS + " FROM deployment_rollout WHERE owner = ? AND deployment = ? "
                + "ORDER BY started_at DESC LIMIT 1", rollouts, owner, deployment).stream().findFirst();
    }

    public Optional<Rollout> running(String owner, String deployment) {
        return jdbc.query("SELECT " + COLUMNS + " FROM deployment_rollout WHERE owner = ? AND deployment = ? AND state = 'RUNNING'",
                rollouts, owner, deployment).stream().findFirst();
    }

    public List<Rollout> runningOf(String owner) {
        return jdbc.query("SELECT " + COLUMNS + " FROM deployment_rollout WHERE owner = ? AND state = 'RUNNING' ORDER BY deployment",
                rollouts, owner);
    }

    public Optional<Rollout> lockRunning(String owner, String deployment) {
        return jdbc.query("SELECT " + COLUMNS + " FROM deployment_rollout WHERE owner = ? AND deployment = ? AND state = 'RUNNING' "
                + "FOR UPDATE", rollouts, owner, deployment).stream().findFirst();
    }

    /** Every running rollout of every tenant (the controller's work list). */
    public List<UUID> allRunning() {
        return jdbc.query("SELECT id FROM deployment_rollout WHERE state = 'RUNNING' ORDER BY step_started_at",
                row -> row.getObject("id", UUID.class));
    }

    /** A running rollout, locked; empty when it ended or another control plane instance is judging it right now. */
    public Optional<Owned> lockRunningForJudging(UUID id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM deployment_rollout WHERE id = ? AND state = 'RUNNING' FOR UPDATE SKIP LOCKED",
                owned, id).stream().findFirst();
    }

    /** A rollout and its owner, unlocked (the controller locks the deployment before the rollout). */
    public Optional<Owned> findOwned(UUID id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM deployment_rollout WHERE id = ? AND state = 'RUNNING'", owned, id).stream().findFirst();
    }

    /**
     * An ended rollout's samples go: its decisions keep the measurements they were taken on, and a long A/B split
     * would otherwise leave a row per data plane and report behind.
     */
    public void dropSamples(UUID rolloutId) {
        jdbc.update("DELETE FROM rollout_sample WHERE rollout_id = ?", rolloutId);
    }

    public Optional<Rollout> find(String owner, UUID id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM deployment_rollout WHERE owner = ? AND id = ?", rollouts, owner, id)
                .stream().findFirst();
    }

    public void advance(UUID id, int step, Instant at) {
        jdbc.update("UPDATE deployment_rollout SET step = ?, step_started_at = ?, version = version + 1 WHERE id = ?",
                step, timestamp(at), id);
    }

    public void end(UUID id, String state, Instant at, String actor, String reason) {
        jdbc.update("UPDATE deployment_rollout SET state = ?, ended_at = ?, ended_by = ?, reason = ?, version = version + 1 "
                + "WHERE id = ?", state, timestamp(at), actor, reason, id);
    }

    public void decide(String owner, UUID rolloutId, Rollout.Decision decision) {
        jdbc.update("INSERT INTO rollout_decision (id, owner, rollout_id, at, action, step, actor, reason, metrics) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)", UUID.randomUUID(), owner, rolloutId, timestamp(decision.at()),
                decision.action(), decision.step(), decision.actor(), decision.reason(), write(decision.metrics()));
    }

    public List<Rollout.Decision> decisions(UUID rolloutId) {
        return jdbc.query("SELECT at, action, step, actor, reason, metrics::text AS metrics FROM rollout_decision "
                + "WHERE rollout_id = ? ORDER BY at, action DESC", row -> new Rollout.Decision(Rows.instant(row, "at"),
                row.getString("action"), row.getInt("step"), row.getString("actor"), row.getString("reason"),
                row.getString("metrics") == null ? List.of() : read(row.getString("metrics"), METRICS)), rolloutId);
    }

    /** Records that the owner's report {@code reportId} was taken; false when it was taken before. */
    public boolean firstReceipt(String owner, UUID reportId, Instant at) {
        return jdbc.update("INSERT INTO rollout_report_receipt (owner, report_id, received_at) VALUES (?, ?, ?) "
                + "ON CONFLICT DO NOTHING", owner, reportId, timestamp(at)) > 0;
    }

    /** Forgets the receipts of reports taken before {@code before}. */
    public int forgetReceiptsBefore(Instant before) {
        return jdbc.update("DELETE FROM rollout_report_receipt WHERE received_at < ?", timestamp(before));
    }

    public void insertSample(String owner, String region, Instant receivedAt, VersionSample sample) {
        jdbc.update("""
                INSERT INTO rollout_sample (id, owner, rollout_id, step, version, role, region, received_at, requests, errors,
                    guardrail_blocks, latency_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)""",
                UUID.randomUUID(), owner, sample.rolloutId(), sample.step(), sample.version(), sample.role(), region,
                timestamp(receivedAt), sample.requests(), sample.errors(), sample.guardrailBlocks(), write(sample.latencyMs()));
    }

    /** One data plane's sample of one version, as stored. */
    private record StoredSample(UUID id, int step, String version, String role, String region, Instant receivedAt, long requests,
                                long errors, long guardrailBlocks, List<Long> latencyMs) {
    }

    private final RowMapper<StoredSample> storedSamples = row -> new StoredSample(row.getObject("id", UUID.class), row.getInt("step"),
            row.getString("version"), row.getString("role"), row.getString("region"), Rows.instant(row, "received_at"),
            row.getLong("requests"), row.getLong("errors"), row.getLong("guardrail_blocks"), read(row.getString("latency"), COUNTS));

    /**
     * Merges the rollout's samples received before {@code before} into one row per step, version, role and region,
     * received when the newest of them was: every sum (the whole step's, any window starting after {@code before}) stays
     * what it was, and a long A/B split or shadow keeps a few rows instead of one per report. The number of rows removed.
     */
    public int compact(String owner, UUID rolloutId, Instant before) {
        Map<List<Object>, List<StoredSample>> groups = new LinkedHashMap<>();
        for (StoredSample sample : jdbc.query("SELECT id, step, version, role, region, received_at, requests, errors, guardrail_blocks, "
                + "latency_ms::text AS latency FROM rollout_sample WHERE rollout_id = ? AND received_at < ? ORDER BY received_at",
                storedSamples, rolloutId, timestamp(before))) {
            groups.computeIfAbsent(List.of(sample.step(), sample.version(), sample.role(), sample.region()), key -> new ArrayList<>())
                    .add(sample);
        }
        int removed = 0;
        for (List<StoredSample> group : groups.values()) {
            if (group.size() < 2) {
                continue;
            }
            StoredSample first = group.getFirst();
            long[] latency = new long[first.latencyMs().size()];
            long requests = 0;
            long errors = 0;
            long blocks = 0;
            for (StoredSample sample : group) {
                requests += sample.requests();
                errors += sample.errors();
                blocks += sample.guardrailBlocks();
                for (int i = 0; i < Math.min(latency.length, sample.latencyMs().size()); i++) {
                    latency[i] += sample.latencyMs().get(i);
                }
                jdbc.update("DELETE FROM rollout_sample WHERE id = ?", sample.id());
            }
            jdbc.update("INSERT INTO rollout_sample (id, owner, rollout_id, step, version, role, region, received_at, requests, errors, "
                    + "guardrail_blocks, latency_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)",
                    UUID.randomUUID(), owner, rolloutId, first.step(), first.version(), first.role(), first.region(),
                    timestamp(group.getLast().receivedAt()), requests, errors, blocks,
                    write(java.util.Arrays.stream(latency).boxed().toList()));
            removed += group.size() - 1;
        }
        return removed;
    }

    /** Per version, the samples of a rollout's step received since {@code since}. */
    public List<Totals> totals(UUID rolloutId, int step, Instant since) {
        Map<String, Totals> byVersion = new LinkedHashMap<>();
        jdbc.query("SELECT version, role, requests, errors, guardrail_blocks, latency_ms::text AS latency FROM rollout_sample "
                + "WHERE rollout_id = ? AND step = ? AND received_at >= ? ORDER BY role DESC", row -> {
                    Totals sample = new Totals(row.getString("version"), row.getString("role"), row.getLong("requests"),
                            row.getLong("errors"), row.getLong("guardrail_blocks"), read(row.getString("latency"), COUNTS));
                    byVersion.merge(sample.role(), sample, RolloutRepository::add);
                    return sample;
                }, rolloutId, step, timestamp(since));
        return new ArrayList<>(byVersion.values());
    }

    /** A deployment's rollouts go with it. */
    public void deleteFor(String owner, String deployment) {
        jdbc.update("DELETE FROM deployment_rollout WHERE owner = ? AND deployment = ?", owner, deployment);
    }

    public void deleteAll(String owner) {
        jdbc.update("DELETE FROM deployment_rollout WHERE owner = ?", owner);
    }

    private static Totals add(Totals a, Totals b) {
        List<Long> latency = new ArrayList<>(a.latencyMs());
        for (int i = 0; i < Math.min(latency.size(), b.latencyMs().size()); i++) {
            latency.set(i, latency.get(i) + b.latencyMs().get(i));
        }
        return new Totals(a.version(), a.role(), a.requests() + b.requests(), a.errors() + b.errors(),
                a.guardrailBlocks() + b.guardrailBlocks(), List.copyOf(latency));
    }

    private String write(Object value) {
        try {
            return value == null ? null : json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable rollout column", e);
        }
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
