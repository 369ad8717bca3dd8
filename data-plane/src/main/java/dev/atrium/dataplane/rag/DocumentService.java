package dev.atrium.dataplane.rag;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;
import org.jboss.logging.Logger;

import dev.atrium.dataplane.auth.TenantPrincipal;
import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.guardrail.GuardrailDecisions;
import dev.atrium.dataplane.guardrail.Guardrails;
import dev.atrium.dataplane.metering.AuditOutbox;
import dev.atrium.dataplane.metering.Usage;
import dev.atrium.dataplane.metering.UsageOutbox;
import dev.atrium.dataplane.rag.index.IndexRegistry;
import dev.atrium.dataplane.rag.index.IndexedChunk;
import dev.atrium.dataplane.rag.index.KnowledgeBaseIndex;
import dev.atrium.dataplane.serving.ModelApprovals;
import dev.atrium.dataplane.storage.TenantDatabase;

/**
 * Ingest: parse, apply the PII policy, chunk, embed, store chunks and embeddings in PostgreSQL (with the usage
 * event, in one transaction), then add them to the Lucene index. Idempotent by content hash per knowledge base.
 * Small documents are indexed within the request; large ones by a background job whose progress is visible.
 */
@ApplicationScoped
public class DocumentService {

    private static final Logger LOG = Logger.getLogger(DocumentService.class);
    private static final int EMBED_BATCH = 32;
    private static final String SELECT = """
            SELECT d.id, d.kb_id, d.title, d.content_type, d.content_hash, d.status, d.chunks, d.pii_findings, d.error,
                   d.created_at, (SELECT j.id FROM ingest_job j WHERE j.document_id = d.id LIMIT 1)
            FROM document d""";

    /** What an upload led to: the document, whether it is new, and the job indexing it when asynchronous. */
    public record IngestResult(DocumentView document, boolean created, IngestJob job) {
    }

    @Inject
    TenantDatabase database;

    @Inject
    KnowledgeBaseService knowledgeBases;

    @Inject
    DocumentParser parser;

    @Inject
    Chunker chunker;

    @Inject
    EmbeddingModels embeddings;

    @Inject
    IndexRegistry indexes;

    @Inject
    Guardrails guardrails;

    @Inject
    UsageOutbox outbox;

    @Inject
    AuditOutbox audit;

    @Inject
    ModelApprovals approvals;

    @Inject
    DataPlaneConfig config;

    private ExecutorService jobs;

    void start(@Observes StartupEvent event) {
        jobs = Executors.newFixedThreadPool(config.rag().ingestThreads(), Thread.ofPlatform().name("ingest-", 0).daemon().factory());
        resumeUnfinishedJobs();
    }

    @PreDestroy
    void stop() {
        if (jobs != null) {
            jobs.shutdownNow();
        }
    }

    public IngestResult ingest(TenantPrincipal caller, UUID kbId, String title, String mediaType, byte[] content) {
        UUID tenantId = caller.tenantId();
        KnowledgeBase kb = knowledgeBases.get(tenantId, kbId);
        approvals.requireServable(tenantId, kb.embeddingModel(), "embeddingModel");
        String original = parser.parse(content, mediaType);
        String hash = sha256(original);
        Optional<DocumentView> existing = findByHash(tenantId, kbId, hash);
        if (existing.isPresent()) {
            return new IngestResult(existing.get(), false, null);
        }
        GuardrailDecisions decisions = new GuardrailDecisions();
        String text = guardrails.screenPii(tenantId, original, decisions, "the document");
        int piiFindings = decisions.counts().values().stream().mapToInt(Long::intValue).sum();
        UUID documentId = UUID.randomUUID();
        boolean synchronous = text.length() <= config.rag().synchronousIngestMaxChars();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID jobId = synchronous ? null : UUID.randomUUID();
        database.inTenant(tenantId, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO document (id, tenant_id, kb_id, title, content_type, content_hash, text, status, pii_findings, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'INDEXING', ?, ?)""")) {
                insert.setObject(1, documentId);
                insert.setObject(2, tenantId);
                insert.setObject(3, kbId);
                insert.setString(4, title);
                insert.setString(5, mediaType);
                insert.setString(6, hash);
                insert.setString(7, text);
                insert.setInt(8, piiFindings);
                insert.setTimestamp(9, Timestamp.from(now));
                insert.executeUpdate();
            }
            audit.record(connection, caller, "document.create", "document", documentId, Map.of("knowledgeBaseId", kbId,
                    "title", title, "contentType", mediaType, "contentHash", hash, "chars", text.length(),
                    "piiFindings", piiFindings, "indexing", synchronous ? "synchronous" : "job"));
            if (jobId != null) {
                try (PreparedStatement job = connection.prepareStatement("""
                        INSERT INTO ingest_job (id, tenant_id, kb_id, document_id, status, created_at, updated_at)
                        VALUES (?, ?, ?, ?, 'QUEUED', ?, ?)""")) {
                    job.setObject(1, jobId);
                    job.setObject(2, tenantId);
                    job.setObject(3, kbId);
                    job.setObject(4, documentId);
                    job.setTimestamp(5, Timestamp.from(now));
                    job.setTimestamp(6, Timestamp.from(now));
                    job.executeUpdate();
                }
            }
            return null;
        });
        if (synchronous) {
            index(caller, kb, documentId, title, text, decisions, done -> { });
            return new IngestResult(get(tenantId, kbId, documentId), true, null);
        }
        submit(caller, kb, documentId, jobId, title, text, decisions);
        return new IngestResult(get(tenantId, kbId, documentId), true, job(tenantId, jobId));
    }

    public List<DocumentView> list(UUID tenantId, UUID kbId, int limit, Instant createdAfter) {
        knowledgeBases.get(tenantId, kbId);
        return database.inTenant(tenantId, connection -> {
            try (PreparedStatement query = connection.prepareStatement(SELECT
                    + " WHERE d.tenant_id = ? AND d.kb_id = ? AND d.created_at > ? ORDER BY d.created_at, d.id LIMIT ?")) {
                query.setObject(1, tenantId);
                query.setObject(2, kbId);
                query.setTimestamp(3, Timestamp.from(createdAfter == null ? Instant.EPOCH : createdAfter));
                query.setInt(4, limit);
                return read(query);
            }
        });
    }

    public DocumentView get(UUID tenantId, UUID kbId, UUID documentId) {
        return database.inTenant(tenantId, connection -> find(connection, tenantId, kbId, documentId));
    }

    public void delete(TenantPrincipal caller, UUID kbId, UUID documentId) {
        UUID tenantId = caller.tenantId();
        database.inTenant(tenantId, connection -> {
            DocumentView document = find(connection, tenantId, kbId, documentId);
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM document WHERE id = ? AND tenant_id = ?")) {
                delete.setObject(1, documentId);
                delete.setObject(2, tenantId);
                delete.executeUpdate();
            }
            audit.record(connection, caller, "document.delete", "document", documentId, Map.of("knowledgeBaseId", kbId,
                    "title", document.title(), "contentHash", document.contentHash(), "chunks", document.chunks()));
            return null;
        });
        indexes.index(tenantId, kbId).deleteDocument(documentId);
    }

    public IngestJob job(UUID tenantId, UUID jobId) {
        return database.inTenant(tenantId, connection -> {
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT id, kb_id, document_id, status, chunks_done, chunks_total, error, created_at, updated_at
                    FROM ingest_job WHERE id = ? AND tenant_id = ?""")) {
                query.setObject(1, jobId);
                query.setObject(2, tenantId);
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next()) {
                        throw ApiException.notFound("job", jobId);
                    }
                    int done = row.getInt(5);
                    int total = row.getInt(6);
                    String status = row.getString(4);
                    int percent = IngestJob.DONE.equals(status) ? 100 : total == 0 ? 0 : Math.min(99, done * 100 / total);
                    return new IngestJob(row.getObject(1, UUID.class), row.getObject(2, UUID.class), row.getObject(3, UUID.class),
                            status, percent, done, total, row.getString(7), row.getTimestamp(8).toInstant(), row.getTimestamp(9).toInstant());
                }
            }
        });
    }

    /** Chunks, embeds and stores a document; {@code progress} hears the number of chunks embedded so far. */
    void index(TenantPrincipal caller, KnowledgeBase kb, UUID documentId, String title, String text,
               GuardrailDecisions decisions, IntConsumer progress) {
        UUID tenantId = caller.tenantId();
        // opened (and, if needed, rebuilt from PostgreSQL) before this document's chunks are committed
        KnowledgeBaseIndex index = indexes.index(tenantId, kb.id());
        List<Chunker.Chunk> chunks = chunker.split(text, kb.chunking().size(), kb.chunking().overlap());
        List<IndexedChunk> indexed = new ArrayList<>(chunks.size());
        long tokens = 0;
        for (int from = 0; from < chunks.size(); from += EMBED_BATCH) {
            List<Chunker.Chunk> batch = chunks.subList(from, Math.min(chunks.size(), from + EMBED_BATCH));
            List<float[]> vectors = embeddings.embedAll(kb.embeddingModel(), batch.stream().map(Chunker.Chunk::text).toList());
            for (int i = 0; i < batch.size(); i++) {
                Chunker.Chunk chunk = batch.get(i);
                tokens += chunk.tokens();
                indexed.add(new IndexedChunk(UUID.randomUUID(), documentId, title, chunk.text(), chunk.start(), chunk.end(), vectors.get(i)));
            }
            progress.accept(indexed.size());
        }
        long embeddingTokens = tokens;
        database.inTenant(tenantId, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO chunk (id, tenant_id, kb_id, document_id, seq, text, start_offset, end_offset, tokens, embedding)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                for (int i = 0; i < indexed.size(); i++) {
                    IndexedChunk chunk = indexed.get(i);
                    insert.setObject(1, chunk.id());
                    insert.setObject(2, tenantId);
                    insert.setObject(3, kb.id());
                    insert.setObject(4, documentId);
                    insert.setInt(5, i);
                    insert.setString(6, chunk.text());
                    insert.setInt(7, chunk.start());
                    insert.setInt(8, chunk.end());
                    insert.setInt(9, chunks.get(i).tokens());
                    insert.setBytes(10, IndexedChunk.toBytes(chunk.embedding()));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement ready = connection.prepareStatement(
                    "UPDATE document SET status = 'READY', chunks = ? WHERE id = ? AND tenant_id = ?")) {
                ready.setInt(1, indexed.size());
                ready.setObject(2, documentId);
                ready.setObject(3, tenantId);
                ready.executeUpdate();
            }
            return outbox.record(connection, new Usage(tenantId, caller.keyId(), "rag.ingest", kb.embeddingModel(), 0, 0,
                    embeddingTokens, indexed.size(), decisions.counts()));
        });
        index.add(indexed);
    }

    private void submit(TenantPrincipal caller, KnowledgeBase kb, UUID documentId, UUID jobId, String title, String text,
                        GuardrailDecisions decisions) {
        jobs.submit(() -> {
            UUID tenantId = caller.tenantId();
            try {
                int total = chunker.split(text, kb.chunking().size(), kb.chunking().overlap()).size();
                updateJob(tenantId, jobId, IngestJob.RUNNING, 0, total, null);
                index(caller, kb, documentId, title, text, decisions, done -> updateJob(tenantId, jobId, IngestJob.RUNNING, done, total, null));
                updateJob(tenantId, jobId, IngestJob.DONE, total, total, null);
            } catch (RuntimeException e) {
                LOG.errorf(e, "ingest job %s failed", jobId);
                updateJob(tenantId, jobId, IngestJob.FAILED, 0, 0, e.getMessage());
                database.inTenant(tenantId, connection -> {
                    try (PreparedStatement failed = connection.prepareStatement(
                            "UPDATE document SET status = 'FAILED', error = ? WHERE id = ? AND tenant_id = ?")) {
                        failed.setString(1, e.getMessage());
                        failed.setObject(2, documentId);
                        failed.setObject(3, tenantId);
                        return failed.executeUpdate();
                    }
                });
            }
        });
    }

    /** Jobs interrupted by a restart start over (their chunks were not committed: a document commits all at once). */
    private void resumeUnfinishedJobs() {
        record Pending(UUID tenantId, UUID kbId, UUID documentId, UUID jobId, String title, String text) {
        }
        List<Pending> pending = database.asPlatform(connection -> {
            List<Pending> found = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT j.tenant_id, j.kb_id, j.document_id, j.id, d.title, d.text FROM ingest_job j
                    JOIN document d ON d.id = j.document_id WHERE j.status IN ('QUEUED', 'RUNNING')""");
                 ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    found.add(new Pending(row.getObject(1, UUID.class), row.getObject(2, UUID.class), row.getObject(3, UUID.class),
                            row.getObject(4, UUID.class), row.getString(5), row.getString(6)));
                }
            }
            return found;
        });
        for (Pending job : pending) {
            LOG.infof("resuming ingest job %s", job.jobId());
            KnowledgeBase kb = knowledgeBases.get(job.tenantId(), job.kbId());
            submit(TenantPrincipal.system(job.tenantId()), kb, job.documentId(), job.jobId(),
                    job.title(), job.text(), new GuardrailDecisions());
        }
    }

    private void updateJob(UUID tenantId, UUID jobId, String status, int done, int total, String error) {
        database.inTenant(tenantId, connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE ingest_job SET status = ?, chunks_done = ?, chunks_total = ?, error = ?, updated_at = ? WHERE id = ?")) {
                update.setString(1, status);
                update.setInt(2, done);
                update.setInt(3, total);
                update.setString(4, error);
                update.setTimestamp(5, Timestamp.from(Instant.now()));
                update.setObject(6, jobId);
                return update.executeUpdate();
            }
        });
    }

    private Optional<DocumentView> findByHash(UUID tenantId, UUID kbId, String hash) {
        return database.inTenant(tenantId, connection -> {
            try (PreparedStatement query = connection.prepareStatement(SELECT + " WHERE d.kb_id = ? AND d.content_hash = ?")) {
                query.setObject(1, kbId);
                query.setString(2, hash);
                return read(query).stream().findFirst();
            }
        });
    }

    private static DocumentView find(Connection connection, UUID tenantId, UUID kbId, UUID documentId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(SELECT + " WHERE d.tenant_id = ? AND d.kb_id = ? AND d.id = ?")) {
            query.setObject(1, tenantId);
            query.setObject(2, kbId);
            query.setObject(3, documentId);
            return read(query).stream().findFirst().orElseThrow(() -> ApiException.notFound("document", documentId));
        }
    }

    private static List<DocumentView> read(PreparedStatement query) throws SQLException {
        List<DocumentView> documents = new ArrayList<>();
        try (ResultSet row = query.executeQuery()) {
            while (row.next()) {
                documents.add(new DocumentView(row.getObject(1, UUID.class), row.getObject(2, UUID.class), row.getString(3),
                        row.getString(4), row.getString(5), row.getString(6), row.getInt(7), row.getInt(8), row.getString(9),
                        row.getTimestamp(10).toInstant(), row.getObject(11, UUID.class)));
            }
        }
        return documents;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
