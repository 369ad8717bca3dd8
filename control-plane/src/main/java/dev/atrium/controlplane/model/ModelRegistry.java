package dev.atrium.controlplane.model;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.atrium.compliance.modelcard.ModelCard;
import dev.atrium.compliance.modelcard.ModelCardMarkdown;
import dev.atrium.compliance.modelcard.ModelCardValidator;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.FieldError;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.identity.CallerContext;
import dev.atrium.controlplane.tenant.Tenant;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;

/**
 * The model registry: a tenant's models and the platform's (visible to every tenant), versions with model cards,
 * and the review workflow. Every change is audited in the owner's chain (the platform chain for platform models).
 */
@ApplicationScoped
public class ModelRegistry {

    public static final String PLATFORM = "platform";
    private static final ModelCard EMPTY_CARD = new ModelCard(null, null, null, List.of(), List.of(), List.of(), null);

    @Inject
    DataSource dataSource;

    @Inject
    AuditTrail auditTrail;

    @Inject
    CallerContext callerContext;

    @Inject
    ObjectMapper json;

    /** The owner id of a tenant's own models ({@code null} tenant: the platform's). */
    public static String owner(UUID tenantId) {
        return tenantId == null ? PLATFORM : tenantId.toString();
    }

    @Transactional
    public ModelViews.Model create(UUID tenantId, ModelRequests.CreateModel request) {
        if (tenantId != null) {
            Tenant.require(tenantId);
        }
        String owner = owner(tenantId);
        Instant now = now();
        String actor = callerContext.require().actorId();
        execute(connection -> {
            if (findModel(connection, owner, request.name()) != null) {
                throw new ApiException(ProblemType.CONFLICT, "a model named '" + request.name() + "' already exists");
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO model (id, owner, name, type, provider, description, created_at, created_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
                insert.setObject(1, UUID.randomUUID());
                insert.setString(2, owner);
                insert.setString(3, request.name());
                insert.setString(4, request.type().value());
                insert.setString(5, request.provider());
                insert.setString(6, request.description());
                insert.setTimestamp(7, Timestamp.from(now));
                insert.setString(8, actor);
                insert.executeUpdate();
            }
            return null;
        });
        ModelViews.Model model = new ModelViews.Model(owner, request.name(), request.type(), request.provider(), request.description(), now, actor);
        auditTrail.record(AuditEntry.success("model.create").tenant(tenantId).resource("model", request.name()).after(model));
        return model;
    }

    /** A tenant's models and the platform's; for the platform (null tenant), only the platform's. */
    public List<ModelViews.Model> list(UUID tenantId) {
        if (tenantId != null) {
            Tenant.require(tenantId);
        }
        return execute(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT owner, name, type, provider, description, created_at, created_by FROM model "
                            + "WHERE owner IN (?, 'platform') ORDER BY owner = 'platform', name")) {
                query.setString(1, owner(tenantId));
                List<ModelViews.Model> models = new ArrayList<>();
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        models.add(model(row));
                    }
                }
                return models;
            }
        });
    }

    /** A model a tenant can see: its own of that name, else the platform's. */
    public ModelViews.Model get(UUID tenantId, String name) {
        return execute(connection -> model(connection, tenantId, name, true).view());
    }

    @Transactional
    public ModelViews.Model update(UUID tenantId, String name, ModelRequests.UpdateModel request) {
        ModelViews.Model updated = execute(connection -> {
            StoredModel model = model(connection, tenantId, name, false);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE model SET provider = coalesce(?, provider), description = coalesce(?, description) WHERE id = ?")) {
                update.setString(1, request.provider());
                update.setString(2, request.description());
                update.setObject(3, model.id());
                update.executeUpdate();
            }
            return model(connection, tenantId, name, false).view();
        });
        auditTrail.record(AuditEntry.success("model.update").tenant(tenantId).resource("model", name).after(updated));
        return updated;
    }

    @Transactional
    public ModelViews.Version createVersion(UUID tenantId, String name, ModelRequests.CreateVersion request) {
        Instant now = now();
        String actor = callerContext.require().actorId();
        ModelViews.Version created = execute(connection -> {
            StoredModel model = model(connection, tenantId, name, false);
            if (findVersion(connection, model, request.version()) != null) {
                throw new ApiException(ProblemType.CONFLICT, "version " + request.version() + " of " + name + " already exists");
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO model_version (model_id, owner, version, artifact_uri, serving_runtime, gpu_type, gpu_count, status,
                        card, created_at, created_by, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'DRAFT', CAST(? AS jsonb), ?, ?, ?)""")) {
                insert.setObject(1, model.id());
                insert.setString(2, model.owner());
                insert.setString(3, request.version());
                insert.setString(4, request.artifactUri());
                insert.setString(5, request.servingRuntime());
                insert.setString(6, request.hardware() == null ? null : request.hardware().gpuType());
                insert.setInt(7, request.hardware() == null || request.hardware().gpuCount() == null ? 0 : request.hardware().gpuCount());
                insert.setString(8, write(request.card() == null ? EMPTY_CARD : request.card()));
                insert.setTimestamp(9, Timestamp.from(now));
                insert.setString(10, actor);
                insert.setTimestamp(11, Timestamp.from(now));
                insert.executeUpdate();
            }
            return findVersion(connection, model, request.version());
        });
        auditTrail.record(AuditEntry.success("model.version.create").tenant(tenantId).resource("model-version", name + "@" + request.version())
                .after(Map.of("status", created.status(), "artifactUri", created.artifactUri())));
        return created;
    }

    public List<ModelViews.Version> versions(UUID tenantId, String name) {
        return execute(connection -> {
            StoredModel model = model(connection, tenantId, name, true);
            try (PreparedStatement query = connection.prepareStatement(VERSION_SELECT + " WHERE v.model_id = ? ORDER BY v.created_at")) {
                query.setObject(1, model.id());
                List<ModelViews.Version> versions = new ArrayList<>();
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        versions.add(version(row));
                    }
                }
                return versions;
            }
        });
    }

    public ModelViews.Version version(UUID tenantId, String name, String version) {
        return execute(connection -> requireVersion(connection, model(connection, tenantId, name, true), version));
    }

    @Transactional
    public ModelViews.Version updateVersion(UUID tenantId, String name, String version, ModelRequests.UpdateVersion request) {
        ModelViews.Version updated = execute(connection -> {
            StoredModel model = model(connection, tenantId, name, false);
            ModelViews.Version current = requireVersion(connection, model, version);
            requireEditable(current);
            ModelRequests.Hardware hardware = request.hardware() == null ? current.hardware() : request.hardware();
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE model_version SET artifact_uri = coalesce(?, artifact_uri), serving_runtime = coalesce(?, serving_runtime),
                        gpu_type = ?, gpu_count = ?, card = CAST(? AS jsonb), updated_at = ? WHERE model_id = ? AND version = ?""")) {
                update.setString(1, request.artifactUri());
                update.setString(2, request.servingRuntime());
                update.setString(3, hardware == null ? null : hardware.gpuType());
                update.setInt(4, hardware == null || hardware.gpuCount() == null ? 0 : hardware.gpuCount());
                update.setString(5, write(request.card() == null ? current.card() : request.card()));
                update.setTimestamp(6, Timestamp.from(now()));
                update.setObject(7, model.id());
                update.setString(8, version);
                update.executeUpdate();
            }
            return requireVersion(connection, model, version);
        });
        auditTrail.record(AuditEntry.success("model.version.update").tenant(tenantId).resource("model-version", name + "@" + version)
                .after(Map.of("artifactUri", updated.artifactUri(), "status", updated.status())));
        return updated;
    }

    /** Adds evaluation results to a draft's card. */
    @Transactional
    public ModelViews.Version attachEvaluations(UUID tenantId, String name, String version, ModelRequests.Evaluations request) {
        List<ModelCard.EvaluationResult> results = new ArrayList<>();
        if (request.results() != null) {
            results.addAll(request.results());
        }
        if (request.report() != null) {
            results.addAll(fromEvalReport(request.report()));
        }
        if (results.isEmpty()) {
            throw ApiException.invalid("results", "give card entries in 'results' or an evaluation report in 'report'");
        }
        ModelViews.Version current = version(tenantId, name, version);
        requireEditable(current);
        ModelCard card = current.card();
        List<ModelCard.EvaluationResult> merged = new ArrayList<>(card.evaluationResults() == null ? List.of() : card.evaluationResults());
        merged.addAll(results);
        ModelCard updated = new ModelCard(card.details(), card.intendedUse(), card.trainingData(), merged, card.limitations(),
                card.ethicalConsiderations(), card.environmentalImpact());
        return updateVersion(tenantId, name, version, new ModelRequests.UpdateVersion(null, null, null, updated));
    }

    /** Moves a version along the workflow; submitting validates the card, reviews need a comment. */
    @Transactional
    public ModelViews.Version transition(UUID tenantId, String name, String version, VersionStatus target, String comment) {
        String actor = callerContext.require().actorId();
        ModelViews.Version[] before = new ModelViews.Version[1];
        ModelViews.Version moved = execute(connection -> {
            StoredModel model = model(connection, tenantId, name, false);
            ModelViews.Version current = requireVersion(connection, model, version);
            before[0] = current;
            if (!current.status().next().contains(target)) {
                throw new ApiException(ProblemType.INVALID_TRANSITION, name + "@" + version + " is " + current.status()
                        + "; it can move to " + current.status().next() + ", not " + target);
            }
            if (target == VersionStatus.IN_REVIEW) {
                List<ModelCardValidator.Violation> violations = ModelCardValidator.validate(current.card());
                if (!violations.isEmpty()) {
                    throw new ApiException(ProblemType.UNPROCESSABLE, "the model card is incomplete: "
                            + violations.stream().map(ModelCardValidator.Violation::field).toList(),
                            violations.stream().map(v -> new FieldError("card." + v.field(), v.message())).toList());
                }
            }
            boolean review = target == VersionStatus.APPROVED || target == VersionStatus.REJECTED;
            if (review) {
                requireIndependentReviewer(connection, model, version, actor);
            }
            boolean submit = target == VersionStatus.IN_REVIEW;
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE model_version SET status = ?, updated_at = ?,
                        review_comment = CASE WHEN ? THEN ? ELSE review_comment END,
                        reviewed_by = CASE WHEN ? THEN ? ELSE reviewed_by END,
                        reviewed_at = CASE WHEN ? THEN ? ELSE reviewed_at END,
                        submitted_by = CASE WHEN ? THEN ? ELSE submitted_by END,
                        submitted_at = CASE WHEN ? THEN ? ELSE submitted_at END
                    WHERE model_id = ? AND version = ?""")) {
                Timestamp now = Timestamp.from(now());
                update.setString(1, target.name());
                update.setTimestamp(2, now);
                update.setBoolean(3, review);
                update.setString(4, comment);
                update.setBoolean(5, review);
                update.setString(6, actor);
                update.setBoolean(7, review);
                update.setTimestamp(8, now);
                update.setBoolean(9, submit);
                update.setString(10, actor);
                update.setBoolean(11, submit);
                update.setTimestamp(12, now);
                update.setObject(13, model.id());
                update.setString(14, version);
                update.executeUpdate();
            }
            return requireVersion(connection, model, version);
        });
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("status", moved.status());
        if (comment != null) {
            after.put("comment", comment);
        }
        auditTrail.record(AuditEntry.success("model.version." + verb(target)).tenant(tenantId)
                .resource("model-version", name + "@" + version).before(Map.of("status", before[0].status())).after(after));
        return moved;
    }

    /**
     * Separation of duties: the reviewer is neither whoever submitted the version nor the person who created the API
     * key that submitted it.
     */
    private void requireIndependentReviewer(Connection connection, StoredModel model, String version, String reviewer)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT v.submitted_by, k.created_by FROM model_version v
                LEFT JOIN api_key k ON v.submitted_by = 'apikey:' || k.id::text
                WHERE v.model_id = ? AND v.version = ?""")) {
            query.setObject(1, model.id());
            query.setString(2, version);
            try (ResultSet row = query.executeQuery()) {
                if (row.next() && (reviewer.equals(row.getString(1)) || reviewer.equals(row.getString(2)))) {
                    throw new ApiException(ProblemType.FORBIDDEN, model.view().name() + "@" + version + " was submitted by "
                            + row.getString(1) + "; a version is reviewed by someone other than its submitter");
                }
            }
        }
    }

    public String cardMarkdown(UUID tenantId, String name, String version) {
        ModelViews.Version found = version(tenantId, name, version);
        return ModelCardMarkdown.render(name, version, found.status().name(), found.card());
    }

    /**
     * The APPROVED versions a tenant's data plane may serve: the tenant's models and the platform's, where a tenant
     * model shadows a platform model of the same name (as in {@link #get}).
     */
    public List<ModelViews.Servable> servable(UUID tenantId) {
        return execute(connection -> {
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT m.owner, m.name, m.type, v.version FROM model_version v JOIN model m ON m.id = v.model_id
                    WHERE v.status = 'APPROVED' AND (m.owner = ? OR (m.owner = 'platform'
                        AND NOT EXISTS (SELECT 1 FROM model own WHERE own.owner = ? AND own.name = m.name)))
                    ORDER BY m.name, v.created_at""")) {
                query.setString(1, owner(tenantId));
                query.setString(2, owner(tenantId));
                List<ModelViews.Servable> servable = new ArrayList<>();
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        servable.add(new ModelViews.Servable(row.getString(1), row.getString(2), ModelType.of(row.getString(3)), row.getString(4)));
                    }
                }
                return servable;
            }
        });
    }

    private static String verb(VersionStatus target) {
        return switch (target) {
            case IN_REVIEW -> "submit";
            case APPROVED -> "approve";
            case REJECTED -> "reject";
            case DEPRECATED -> "deprecate";
            case DRAFT -> "draft";
        };
    }

    private static void requireEditable(ModelViews.Version version) {
        if (!version.status().editable()) {
            throw new ApiException(ProblemType.INVALID_TRANSITION, version.model() + "@" + version.version() + " is " + version.status()
                    + "; only DRAFT or REJECTED versions can be changed (create a new version instead)");
        }
    }

    /** Evaluation-harness report ({@code RetrievalEvaluation.Report}) to card entries: one per mode and metric. */
    @SuppressWarnings("unchecked")
    private static List<ModelCard.EvaluationResult> fromEvalReport(Map<String, Object> report) {
        String dataset = String.valueOf(report.getOrDefault("dataset", "unknown"));
        List<ModelCard.EvaluationResult> results = new ArrayList<>();
        Object modes = report.get("results");
        if (!(modes instanceof List<?> list)) {
            throw ApiException.invalid("report.results", "expected the 'results' list of an evaluation report");
        }
        for (Object entry : list) {
            Map<String, Object> mode = (Map<String, Object>) entry;
            for (String metric : List.of("recallAt5", "recallAt10", "mrrAt10", "ndcgAt10")) {
                if (mode.get(metric) instanceof Number value) {
                    results.add(new ModelCard.EvaluationResult(mode.get("mode") + " " + metric.replace("At", "@").toLowerCase(Locale.ROOT)
                            .replace("mrr", "MRR").replace("ndcg", "nDCG"), value.doubleValue(), dataset, "test", "atrium retrieval evaluation"));
                }
            }
        }
        return results;
    }

    private record StoredModel(UUID id, ModelViews.Model view) {
        String owner() {
            return view.owner();
        }
    }

    private StoredModel model(Connection connection, UUID tenantId, String name, boolean includePlatform) throws SQLException {
        StoredModel own = findModel(connection, owner(tenantId), name);
        if (own == null && includePlatform && tenantId != null) {
            own = findModel(connection, PLATFORM, name);
        }
        if (own == null) {
            throw ApiException.notFound("model", name);
        }
        return own;
    }

    private StoredModel findModel(Connection connection, String owner, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT id, owner, name, type, provider, description, created_at, created_by FROM model WHERE owner = ? AND name = ?")) {
            query.setString(1, owner);
            query.setString(2, name);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                return new StoredModel(row.getObject(1, UUID.class), model(row, 2));
            }
        }
    }

    private static ModelViews.Model model(ResultSet row) throws SQLException {
        return model(row, 1);
    }

    private static ModelViews.Model model(ResultSet row, int first) throws SQLException {
        return new ModelViews.Model(row.getString(first), row.getString(first + 1), ModelType.of(row.getString(first + 2)),
                row.getString(first + 3), row.getString(first + 4), row.getTimestamp(first + 5).toInstant(), row.getString(first + 6));
    }

    private static final String VERSION_SELECT = """
            SELECT v.owner, m.name, v.version, v.status, v.artifact_uri, v.serving_runtime, v.gpu_type, v.gpu_count, v.card,
                   v.review_comment, v.reviewed_by, v.reviewed_at, v.submitted_by, v.submitted_at, v.created_at, v.created_by,
                   v.updated_at
            FROM model_version v JOIN model m ON m.id = v.model_id""";

    private ModelViews.Version findVersion(Connection connection, StoredModel model, String version) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(VERSION_SELECT + " WHERE v.model_id = ? AND v.version = ?")) {
            query.setObject(1, model.id());
            query.setString(2, version);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? version(row) : null;
            }
        }
    }

    private ModelViews.Version requireVersion(Connection connection, StoredModel model, String version) throws SQLException {
        ModelViews.Version found = findVersion(connection, model, version);
        if (found == null) {
            throw ApiException.notFound("model version", model.view().name() + "@" + version);
        }
        return found;
    }

    /** Row mapper for {@link #VERSION_SELECT}. */
    private ModelViews.Version version(ResultSet row) throws SQLException {
        return new ModelViews.Version(row.getString("owner"), row.getString("name"), row.getString("version"),
                VersionStatus.valueOf(row.getString("status")), row.getString("artifact_uri"), row.getString("serving_runtime"),
                new ModelRequests.Hardware(row.getString("gpu_type"), row.getInt("gpu_count")), read(row.getString("card")),
                row.getString("review_comment"), row.getString("reviewed_by"), instant(row, "reviewed_at"),
                row.getString("submitted_by"), instant(row, "submitted_at"), instant(row, "created_at"),
                row.getString("created_by"), instant(row, "updated_at"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private String write(ModelCard card) {
        try {
            return json.writeValueAsString(card);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ModelCard read(String value) {
        try {
            return json.readValue(value, ModelCard.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable model card", e);
        }
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T execute(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("model registry query failed", e);
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
