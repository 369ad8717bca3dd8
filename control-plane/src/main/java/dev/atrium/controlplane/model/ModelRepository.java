package dev.atrium.controlplane.model;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.atrium.compliance.modelcard.ModelCard;
import dev.atrium.controlplane.common.RowMapper;
import dev.atrium.controlplane.common.Rows;

/** Models and their versions in PostgreSQL; joins the caller's transaction. The registry decides what may change. */
@ApplicationScoped
public class ModelRepository {

    private static final String MODEL_COLUMNS = "id, owner, name, type, provider, description, created_at, created_by";
    private static final String VERSION_SELECT = """
            SELECT v.owner, m.name, v.version, v.status, v.artifact_uri, v.serving_runtime, v.gpu_type, v.gpu_count, v.card,
                   v.review_comment, v.reviewed_by, v.reviewed_at, v.submitted_by, v.submitted_at, v.created_at, v.created_by,
                   v.updated_at
            FROM model_version v JOIN model m ON m.id = v.model_id""";

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    /** A model row with its id, which the API never shows. */
    record StoredModel(UUID id, ModelViews.Model view) {
        String owner() {
            return view.owner();
        }
    }

    /** Who submitted a version and, when that was an API key, who created the key. */
    /**
     * Who submitted a version, and everyone behind it: when an API key submitted it, the creator of that key, of the
     * key that created that one, and so on up to a person or the system.
     */
    record Submission(String submittedBy, java.util.Set<String> principals) {
    }

    /** A version's new review state; the review and submission columns change only with their kind of move. */
    record Move(VersionStatus target, String actor, String comment, boolean review, boolean submit, Instant at) {
    }

    private static final RowMapper<ModelViews.Model> MODEL = rows -> new ModelViews.Model(rows.getString("owner"),
            rows.getString("name"), ModelType.of(rows.getString("type")), rows.getString("provider"),
            rows.getString("description"), rows.getTimestamp("created_at").toInstant(), rows.getString("created_by"));

    private static final RowMapper<StoredModel> STORED_MODEL = rows -> new StoredModel(rows.getObject("id", UUID.class),
            MODEL.map(rows));

    private static final RowMapper<String> PRINCIPAL = rows -> rows.getString("actor");

    private static final RowMapper<ModelViews.Servable> SERVABLE = rows -> new ModelViews.Servable(rows.getString("owner"),
            rows.getString("name"), ModelType.of(rows.getString("type")), rows.getString("version"));

    /** Row mapper for {@link #VERSION_SELECT}; the card is JSON. */
    private ModelViews.Version versionOf(ResultSet rows) throws SQLException {
        return new ModelViews.Version(rows.getString("owner"), rows.getString("name"), rows.getString("version"),
                VersionStatus.valueOf(rows.getString("status")), rows.getString("artifact_uri"), rows.getString("serving_runtime"),
                new ModelRequests.Hardware(rows.getString("gpu_type"), rows.getInt("gpu_count")), read(rows.getString("card")),
                rows.getString("review_comment"), rows.getString("reviewed_by"), Rows.instant(rows, "reviewed_at"),
                rows.getString("submitted_by"), Rows.instant(rows, "submitted_at"), Rows.instant(rows, "created_at"),
                rows.getString("created_by"), Rows.instant(rows, "updated_at"));
    }

    public Optional<StoredModel> findModel(String owner, String name) {
        return execute(connection -> first(connection, "SELECT " + MODEL_COLUMNS + " FROM model WHERE owner = ? AND name = ?",
                STORED_MODEL, owner, name));
    }

    /** The models of an owner and the platform's, the platform's last. */
    public List<ModelViews.Model> listWithPlatform(String owner) {
        return execute(connection -> all(connection, "SELECT " + MODEL_COLUMNS + " FROM model "
                + "WHERE owner IN (?, 'platform') ORDER BY owner = 'platform', name", MODEL, owner));
    }

    public void insertModel(ModelViews.Model model) {
        execute(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO model (id, owner, name, type, provider, description, created_at, created_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
                insert.setObject(1, UUID.randomUUID());
                insert.setString(2, model.owner());
                insert.setString(3, model.name());
                insert.setString(4, model.type().value());
                insert.setString(5, model.provider());
                insert.setString(6, model.description());
                insert.setTimestamp(7, Timestamp.from(model.createdAt()));
                insert.setString(8, model.createdBy());
                return insert.executeUpdate();
            }
        });
    }

    /** Changes provider and description where given; null keeps the stored value. */
    public void updateModel(UUID modelId, String provider, String description) {
        execute(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE model SET provider = coalesce(?, provider), description = coalesce(?, description) WHERE id = ?")) {
                update.setString(1, provider);
                update.setString(2, description);
                update.setObject(3, modelId);
                return update.executeUpdate();
            }
        });
    }

    public Optional<ModelViews.Version> findVersion(StoredModel model, String version) {
        return execute(connection -> first(connection, VERSION_SELECT + " WHERE v.model_id = ? AND v.version = ?",
                this::versionOf, model.id(), version));
    }

    /** A model's versions, oldest first. */
    public List<ModelViews.Version> versions(StoredModel model) {
        return execute(connection -> all(connection, VERSION_SELECT + " WHERE v.model_id = ? ORDER BY v.created_at",
                this::versionOf, model.id()));
    }

    /** A new DRAFT version. */
    public void insertVersion(StoredModel model, ModelRequests.CreateVersion request, ModelCard card, Instant now, String actor) {
        execute(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO model_version (model_id, owner, version, artifact_uri, serving_runtime, gpu_type, gpu_count, status,
                        card, created_at, created_by, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'DRAFT', CAST(? AS jsonb), ?, ?, ?)""")) {
                insert.setObject(1, model.id());
                insert.setString(2, model.owner());
                insert.setString(3, request.version());
                insert.setString(4, request.artifactUri());
                insert.setString(5, request.servingRuntime());
                insert.setString(6, gpuType(request.hardware()));
                insert.setInt(7, gpuCount(request.hardware()));
                insert.setString(8, write(card));
                insert.setTimestamp(9, Timestamp.from(now));
                insert.setString(10, actor);
                insert.setTimestamp(11, Timestamp.from(now));
                return insert.executeUpdate();
            }
        });
    }

    /** Changes artifact and runtime where given (null keeps them), and sets hardware and card. */
    public void updateVersion(StoredModel model, String version, String artifactUri, String servingRuntime,
                              ModelRequests.Hardware hardware, ModelCard card, Instant now) {
        execute(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE model_version SET artifact_uri = coalesce(?, artifact_uri), serving_runtime = coalesce(?, serving_runtime),
                        gpu_type = ?, gpu_count = ?, card = CAST(? AS jsonb), updated_at = ? WHERE model_id = ? AND version = ?""")) {
                update.setString(1, artifactUri);
                update.setString(2, servingRuntime);
                update.setString(3, gpuType(hardware));
                update.setInt(4, gpuCount(hardware));
                update.setString(5, write(card));
                update.setTimestamp(6, Timestamp.from(now));
                update.setObject(7, model.id());
                update.setString(8, version);
                return update.executeUpdate();
            }
        });
    }

    public void move(StoredModel model, String version, Move move) {
        execute(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE model_version SET status = ?, updated_at = ?,
                        review_comment = CASE WHEN ? THEN ? ELSE review_comment END,
                        reviewed_by = CASE WHEN ? THEN ? ELSE reviewed_by END,
                        reviewed_at = CASE WHEN ? THEN ? ELSE reviewed_at END,
                        submitted_by = CASE WHEN ? THEN ? ELSE submitted_by END,
                        submitted_at = CASE WHEN ? THEN ? ELSE submitted_at END
                    WHERE model_id = ? AND version = ?""")) {
                Timestamp at = Timestamp.from(move.at());
                update.setString(1, move.target().name());
                update.setTimestamp(2, at);
                update.setBoolean(3, move.review());
                update.setString(4, move.comment());
                update.setBoolean(5, move.review());
                update.setString(6, move.actor());
                update.setBoolean(7, move.review());
                update.setTimestamp(8, at);
                update.setBoolean(9, move.submit());
                update.setString(10, move.actor());
                update.setBoolean(11, move.submit());
                update.setTimestamp(12, at);
                update.setObject(13, model.id());
                update.setString(14, version);
                return update.executeUpdate();
            }
        });
    }

    public Optional<Submission> submission(StoredModel model, String version) {
        // keys may create keys: follow created_by through every key up to whoever is behind the chain (bounded)
        List<String> chain = execute(connection -> all(connection, """
                WITH RECURSIVE behind(actor, depth) AS (
                    SELECT v.submitted_by, 0 FROM model_version v
                    WHERE v.model_id = ? AND v.version = ? AND v.submitted_by IS NOT NULL
                    UNION
                    SELECT k.created_by, b.depth + 1 FROM behind b JOIN api_key k ON b.actor = 'apikey:' || k.id::text
                    WHERE b.depth < 32)
                SELECT actor FROM behind ORDER BY depth""", PRINCIPAL, model.id(), version));
        return chain.isEmpty() ? Optional.empty() : Optional.of(new Submission(chain.getFirst(), java.util.Set.copyOf(chain)));
    }

    /**
     * The APPROVED versions of an owner's models and of the platform's, where the owner's model shadows a platform
     * model of the same name.
     */
    public List<ModelViews.Servable> servable(String owner) {
        return execute(connection -> all(connection, """
                SELECT m.owner, m.name, m.type, v.version FROM model_version v JOIN model m ON m.id = v.model_id
                WHERE v.status = 'APPROVED' AND (m.owner = ? OR (m.owner = 'platform'
                    AND NOT EXISTS (SELECT 1 FROM model own WHERE own.owner = ? AND own.name = m.name)))
                ORDER BY m.name, v.created_at""", SERVABLE, owner, owner));
    }

    private static String gpuType(ModelRequests.Hardware hardware) {
        return hardware == null ? null : hardware.gpuType();
    }

    private static int gpuCount(ModelRequests.Hardware hardware) {
        return hardware == null || hardware.gpuCount() == null ? 0 : hardware.gpuCount();
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

    /** The first row only, as the queries by key expect at most one. */
    private static <T> Optional<T> first(Connection connection, String sql, RowMapper<T> mapper, Object... args)
            throws SQLException {
        try (PreparedStatement query = prepare(connection, sql, args); ResultSet rows = query.executeQuery()) {
            return rows.next() ? Optional.of(mapper.map(rows)) : Optional.empty();
        }
    }

    private static <T> List<T> all(Connection connection, String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        try (PreparedStatement query = prepare(connection, sql, args); ResultSet rows = query.executeQuery()) {
            List<T> result = new ArrayList<>();
            while (rows.next()) {
                result.add(mapper.map(rows));
            }
            return result;
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... args) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
        return statement;
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
}
