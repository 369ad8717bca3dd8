package dev.atrium.dataplane.rag;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.atrium.dataplane.auth.CurrentTenant;
import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.Problem;
import dev.atrium.dataplane.embedding.EmbeddingModels;
import dev.atrium.dataplane.gateway.ModelApprovals;
import dev.atrium.dataplane.gateway.ModelRouter;
import dev.atrium.dataplane.metering.AuditOutbox;
import dev.atrium.dataplane.rag.index.IndexRegistry;
import dev.atrium.dataplane.storage.TenantDatabase;

/** Knowledge bases of a tenant: create with validated settings, list, read, delete (with their documents and index). */
@ApplicationScoped
public class KnowledgeBaseService {

    public static final int DEFAULT_CHUNK_SIZE = 128;
    public static final int DEFAULT_CHUNK_OVERLAP = 16;
    private static final int MIN_CHUNK_SIZE = 16;
    /** Upstream embedding models read more (OpenAI's up to 8,191 tokens); chunks stay small for precise citations. */
    private static final int MAX_UPSTREAM_CHUNK_SIZE = 512;

    private static final String SELECT = """
            SELECT kb.id, kb.name, kb.description, kb.chunk_size, kb.chunk_overlap, kb.embedding_model, kb.chat_model,
                   kb.created_at,
                   (SELECT count(*) FROM document d WHERE d.kb_id = kb.id) AS documents,
                   (SELECT count(*) FROM chunk c WHERE c.kb_id = kb.id) AS chunks
            FROM knowledge_base kb""";

    /** A knowledge base of a tenant: the key of caches that must never answer one tenant with another's data. */
    private record TenantKb(UUID tenantId, UUID kbId) {
    }

    /** Settings as queries need them (without counts), cached briefly so a query costs no settings lookup. */
    private final Cache<TenantKb, KnowledgeBase> settings = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(30)).build();

    @Inject
    TenantDatabase database;

    @Inject
    IndexRegistry indexes;

    @Inject
    ModelRouter models;

    @Inject
    AuditOutbox audit;

    @Inject
    CurrentTenant currentTenant;

    public KnowledgeBase create(UUID tenantId, CreateKnowledgeBaseRequest request) {
        int size = request.chunking() == null || request.chunking().size() == null ? DEFAULT_CHUNK_SIZE : request.chunking().size();
        int overlap = request.chunking() == null || request.chunking().overlap() == null ? DEFAULT_CHUNK_OVERLAP : request.chunking().overlap();
        String embeddingModel = request.embeddingModel() == null ? EmbeddingModels.QUANTIZED : request.embeddingModel();
        requireAvailable(() -> models.requireEmbeddingModel(tenantId, embeddingModel, "embeddingModel"), "embeddingModel");
        int maxSize = EmbeddingModels.exists(embeddingModel) ? EmbeddingModels.MAX_TOKENS : MAX_UPSTREAM_CHUNK_SIZE;
        if (size < MIN_CHUNK_SIZE || size > maxSize) {
            throw ApiException.invalid("chunking.size", "must be between " + MIN_CHUNK_SIZE + " and " + maxSize
                    + " tokens" + (maxSize == EmbeddingModels.MAX_TOKENS ? ": " + embeddingModel + " does not see text beyond "
                    + EmbeddingModels.MAX_TOKENS + " word pieces" : ""));
        }
        if (overlap < 0 || overlap > size / 2) {
            throw ApiException.invalid("chunking.overlap", "must be between 0 and half the chunk size (" + size / 2 + ")");
        }
        if (request.chatModel() != null) {
            requireAvailable(() -> models.requireChatModel(tenantId, ModelApprovals.Requested.parse(request.chatModel()).name(), "chatModel"),
                    "chatModel");
        }
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        database.inTenant(tenantId, connection -> {
            try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM knowledge_base WHERE tenant_id = ? AND name = ?")) {
                exists.setObject(1, tenantId);
                exists.setString(2, request.name());
                if (exists.executeQuery().next()) {
                    throw new ApiException(Problem.CONFLICT, "a knowledge base named '" + request.name() + "' already exists", "name");
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO knowledge_base (id, tenant_id, name, description, chunk_size, chunk_overlap, embedding_model,
                        chat_model, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                insert.setObject(1, id);
                insert.setObject(2, tenantId);
                insert.setString(3, request.name());
                insert.setString(4, request.description());
                insert.setInt(5, size);
                insert.setInt(6, overlap);
                insert.setString(7, embeddingModel);
                insert.setString(8, request.chatModel());
                insert.setTimestamp(9, Timestamp.from(now));
                insert.executeUpdate();
            }
            audit.record(connection, currentTenant.principal(), "knowledge-base.create", "knowledge-base", id,
                    Map.of("name", request.name(), "chunkSize", size, "chunkOverlap", overlap, "embeddingModel", embeddingModel,
                            "chatModel", String.valueOf(request.chatModel())));
            return null;
        });
        return get(tenantId, id);
    }

    public List<KnowledgeBase> list(UUID tenantId) {
        return database.inTenant(tenantId, connection -> {
            try (PreparedStatement query = connection.prepareStatement(SELECT + " WHERE kb.tenant_id = ? ORDER BY kb.created_at")) {
                query.setObject(1, tenantId);
                return read(query);
            }
        });
    }

    /** The knowledge base, or 404 also when it belongs to another tenant (row-level security hides it). */
    public KnowledgeBase get(UUID tenantId, UUID id) {
        return database.inTenant(tenantId, connection -> find(connection, tenantId, id));
    }

    KnowledgeBase find(Connection connection, UUID tenantId, UUID id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(SELECT + " WHERE kb.tenant_id = ? AND kb.id = ?")) {
            query.setObject(1, tenantId);
            query.setObject(2, id);
            List<KnowledgeBase> found = read(query);
            if (found.isEmpty()) {
                throw ApiException.notFound("knowledge base", id);
            }
            return found.getFirst();
        }
    }

    /** The knowledge base's settings (its counts may be up to 30 s old); 404 as {@link #get}. */
    public KnowledgeBase settings(UUID tenantId, UUID id) {
        TenantKb key = new TenantKb(tenantId, id);
        KnowledgeBase kb = settings.getIfPresent(key);
        if (kb == null) {
            kb = get(tenantId, id);
            settings.put(key, kb);
        }
        return kb;
    }

    public void delete(UUID tenantId, UUID id) {
        settings.invalidate(new TenantKb(tenantId, id));
        database.inTenant(tenantId, connection -> {
            KnowledgeBase kb = find(connection, tenantId, id);
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM knowledge_base WHERE tenant_id = ? AND id = ?")) {
                delete.setObject(1, tenantId);
                delete.setObject(2, id);
                delete.executeUpdate();
            }
            audit.record(connection, currentTenant.principal(), "knowledge-base.delete", "knowledge-base", id,
                    Map.of("name", kb.name(), "documents", kb.documents(), "chunks", kb.chunks()));
            return null;
        });
        indexes.drop(tenantId, id);
    }

    /** A model named in the body that the tenant cannot use is a validation error of that field, not a missing resource. */
    private static void requireAvailable(Runnable check, String field) {
        try {
            check.run();
        } catch (ApiException e) {
            throw ApiException.invalid(field, e.getMessage());
        }
    }

    public static UUID parseId(String raw, String what) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(what, raw);
        }
    }

    private static List<KnowledgeBase> read(PreparedStatement query) throws SQLException {
        List<KnowledgeBase> result = new ArrayList<>();
        try (ResultSet row = query.executeQuery()) {
            while (row.next()) {
                result.add(new KnowledgeBase(row.getObject("id", UUID.class), row.getString("name"), row.getString("description"),
                        new KnowledgeBase.Chunking(row.getInt("chunk_size"), row.getInt("chunk_overlap")),
                        row.getString("embedding_model"), row.getString("chat_model"), row.getTimestamp("created_at").toInstant(),
                        row.getLong("documents"), row.getLong("chunks")));
            }
        }
        return result;
    }
}
