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

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import org.jboss.logging.Logger;

import dev.atrium.dataplane.auth.TenantPrincipal;
import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.embedding.EmbeddingModels;
import dev.atrium.dataplane.gateway.ChatGateway;
import dev.atrium.dataplane.gateway.ModelApprovals;
import dev.atrium.dataplane.guardrail.GuardrailDecisions;
import dev.atrium.dataplane.guardrail.Guardrails;
import dev.atrium.dataplane.metering.AuditOutbox;
import dev.atrium.dataplane.metering.Usage;
import dev.atrium.dataplane.metering.UsageOutbox;
import dev.atrium.dataplane.rag.index.IndexRegistry;
import dev.atrium.dataplane.rag.index.IndexedChunk;
import dev.atrium.dataplane.rag.index.KnowledgeBaseIndex;
import dev.atrium.dataplane.storage.TenantDatabase;

/**
 * Ingest: parse (bounded, see {@link DocumentParser}), apply the PII policy, chunk, embed, store chunks and
 * embeddings in PostgreSQL (with the usage event, in one transaction), then add them to the Lucene index. Idempotent
 * by content hash per knowledge base. Small documents are indexed within the request; large ones by a background
 * job whose progress is visible, in a bounded queue.
 */
@ApplicationScoped
public class DocumentService {

    private static final Logger LOG = Logger.getLogger(DocumentService.class);
    private static final int EMBED_BATCH = 32;
    private static final String SELECT = """
            SELECT d.id, d.kb_id, d.title, d.content_type, d.content_hash, d.status, d.chunks, d.pii_findings, d.error,
                   d.created_at, (SELECT j.id FROM ingest_job j WHERE j.document_id = d.id LIMIT 1) AS job_id
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
    ChatGateway gateway;

    @Inject
    DataPlaneConfig config;

    @Inject
    MeterRegistry metrics;

    private ExecutorService jobs;
    private IngestJobSlots jobSlots;

    void start(@Observes StartupEvent event) {
        jobs = Executors.newFixedThreadPool(config.rag().ingestThreads(), Thread.ofPlatform().name("ingest-", 0).daemon().factory());
        jobSlots = new IngestJobSlots(config.rag().maxQueuedJobs(), config.rag().maxQueuedJobsPerTenant());
        metrics.gauge("atrium.rag.ingest.jobs.queued", jobSlots, IngestJobSlots::queued);
        resumeUnfinishedJobs();
    }

    @PreDestroy
    void stop() {
        if (jobs != null) {
            jobs.shutdownNow();
        }
    }

    /**
     * Indexes a document, or returns the knowledge base's document with the same text (200). A small document is
     * chunked and embedded first and then committed in one transaction with its chunks, its audit and usage events:
     * a failure on the way leaves nothing behind, and of two identical uploads at once one creates the document and
     * the other gets it. A large one is committed as INDEXING with a queued job, if the region's and the tenant's job
     * queues have room (otherwise 429, nothing stored). A FAILED document, or one left INDEXING without a live job
     * (a crash in an earlier version), does not block its text: uploading it again replaces it.
     */
    public IngestResult ingest(TenantPrincipal caller, UUID kbId, String title, String mediaType, byte[] content) {
        UUID tenantId = caller.tenantId();
        KnowledgeBase kb = knowledgeBases.get(tenantId, kbId);
        gateway.requireEmbeddingServable(tenantId, kb.embeddingModel(), "embeddingModel");
        String original = parser.parse(content, mediaType);
        String hash = sha256(original);
        Optional<DocumentView> existing = findByHash(tenantId, kbId, hash);
        if (existing.isPresent() && !retryable(existing.get())) {
            return new IngestResult(existing.get(), false, null);
        }
        GuardrailDecisions decisions = new GuardrailDecisions();
        String text = guardrails.screenPii(tenantId, original, decisions, "the document");
        int piiFindings = decisions.counts().values().stream().mapToInt(Long::intValue).sum();
        NewDocument document = new NewDocument(UUID.randomUUID(), kb, title, mediaType, hash, text, piiFindings,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        if (text.length() <= config.rag().synchronousIngestMaxChars()) {
            return ingestNow(caller, document, decisions);
        }
        return ingestLater(caller, document, decisions);
    }

    /** A document about to be stored. */
    private record NewDocument(UUID id, KnowledgeBase kb, String title, String mediaType, String hash, String text,
                               int piiFindings, Instant createdAt) {
    }

    private IngestResult ingestNow(TenantPrincipal caller, NewDocument document, GuardrailDecisions decisions) {
        UUID tenantId = caller.tenantId();
        // opened (and, if needed, rebuilt from PostgreSQL) before this document's chunks are committed
        KnowledgeBaseIndex index = indexes.index(tenantId, document.kb().id());
        Embedded embedded = embed(tenantId, document.kb(), document.id(), document.title(), document.text(), done -> { });
        Optional<DocumentView> duplicate = database.inTenant(tenantId, connection -> {
            if (!insert(connection, caller, document, "READY", embedded.chunks().size(), "synchronous")) {
                return Optional.of(findByHash(connection, document.kb().id(), document.hash()));
            }
            store(connection, caller, document.kb(), embedded, decisions);
            return Optional.empty();
        });
        if (duplicate.isPresent()) {
            return new IngestResult(duplicate.get(), false, null);
        }
        index.add(embedded.chunks());
        return new IngestResult(get(tenantId, document.kb().id(), document.id()), true, null);
    }

    private IngestResult ingestLater(TenantPrincipal caller, NewDocument document, GuardrailDecisions decisions) {
        UUID tenantId = caller.tenantId();
        jobSlots.reserve(tenantId);
        UUID jobId = UUID.randomUUID();
        Optional<DocumentView> duplicate;
        try {
            duplicate = database.inTenant(tenantId, connection -> {
                if (!insert(connection, caller, document, "INDEXING", 0, "job")) {
                    return Optional.of(findByHash(connection, document.kb().id(), document.hash()));
                }
                try (PreparedStatement job = connection.prepareStatement("""
                        INSERT INTO ingest_job (id, tenant_id, kb_id, document_id, status, created_at, updated_at)
                        VALUES (?, ?, ?, ?, 'QUEUED', ?, ?)""")) {
                    job.setObject(1, jobId);
                    job.setObject(2, tenantId);
                    job.setObject(3, document.kb().id());
                    job.setObject(4, document.id());
                    job.setTimestamp(5, Timestamp.from(document.createdAt()));
                    job.setTimestamp(6, Timestamp.from(document.createdAt()));
                    job.executeUpdate();
                }
                return Optional.empty();
            });
        } catch (RuntimeException e) {
            jobSlots.release(tenantId);
            throw e;
        }
        if (duplicate.isPresent()) {
            jobSlots.release(tenantId);
            return new IngestResult(duplicate.get(), false, null);
        }
        submit(caller, document.kb(), document.id(), jobId, document.title(), document.text(), decisions);
        return new IngestResult(get(tenantId, document.kb().id(), document.id()), true, job(tenantId, jobId));
    }

    /**
     * Inserts the document (first removing a retryable one with the same text), audited in the same transaction;
     * false when a document with the same text is there already (an identical upload committed first).
     */
    private boolean insert(Connection connection, TenantPrincipal caller, NewDocument document, String status, int chunks,
                           String indexing) throws SQLException {
        UUID tenantId = caller.tenantId();
        try (PreparedStatement stale = connection.prepareStatement("""
                DELETE FROM document d WHERE d.kb_id = ? AND d.content_hash = ? AND (d.status = 'FAILED' OR d.status = 'INDEXING'
                    AND NOT EXISTS (SELECT 1 FROM ingest_job j WHERE j.document_id = d.id AND j.status IN ('QUEUED', 'RUNNING')))
                RETURNING d.id""")) {
            stale.setObject(1, document.kb().id());
            stale.setString(2, document.hash());
            try (ResultSet replaced = stale.executeQuery()) {
                while (replaced.next()) {
                    LOG.infof("document %s with the same text had not been indexed; replaced by %s", replaced.getObject("id"), document.id());
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO document (id, tenant_id, kb_id, title, content_type, content_hash, text, status, chunks, pii_findings, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (kb_id, content_hash) DO NOTHING""")) {
            insert.setObject(1, document.id());
            insert.setObject(2, tenantId);
            insert.setObject(3, document.kb().id());
            insert.setString(4, document.title());
            insert.setString(5, document.mediaType());
            insert.setString(6, document.hash());
            insert.setString(7, document.text());
            insert.setString(8, status);
            insert.setInt(9, chunks);
            insert.setInt(10, document.piiFindings());
            insert.setTimestamp(11, Timestamp.from(document.createdAt()));
            if (insert.executeUpdate() == 0) {
                return false;
            }
        }
        audit.record(connection, caller, "document.create", "document", document.id(), Map.of("knowledgeBaseId", document.kb().id(),
                "title", document.title(), "contentType", document.mediaType(), "contentHash", document.hash(),
                "chars", document.text().length(), "piiFindings", document.piiFindings(), "indexing", indexing));
        return true;
    }

    /** A document that is neither READY nor being indexed by a live job, so its text may be uploaded again. */
    private static boolean retryable(DocumentView document) {
        return "FAILED".equals(document.status()) || "INDEXING".equals(document.status()) && document.jobId() == null;
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
                    int done = row.getInt("chunks_done");
                    int total = row.getInt("chunks_total");
                    String status = row.getString("status");
                    int percent = IngestJob.DONE.equals(status) ? 100 : total == 0 ? 0 : Math.min(99, done * 100 / total);
                    return new IngestJob(row.getObject("id", UUID.class), row.getObject("kb_id", UUID.class),
                            row.getObject("document_id", UUID.class), status, percent, done, total, row.getString("error"),
                            row.getTimestamp("created_at").toInstant(), row.getTimestamp("updated_at").toInstant());
                }
            }
        });
    }

    /** A document's chunks with their embeddings, and the word pieces embedded. */
    private record Embedded(List<IndexedChunk> chunks, List<Chunker.Chunk> pieces, long tokens) {
    }

    /** Chunks and embeds a document, storing nothing; {@code progress} hears the number of chunks embedded so far. */
    private Embedded embed(UUID tenantId, KnowledgeBase kb, UUID documentId, String title, String text, IntConsumer progress) {
        List<Chunker.Chunk> chunks = chunker.split(text, kb.chunking().size(), kb.chunking().overlap());
        List<IndexedChunk> indexed = new ArrayList<>(chunks.size());
        long tokens = 0;
        for (int from = 0; from < chunks.size(); from += EMBED_BATCH) {
            List<Chunker.Chunk> batch = chunks.subList(from, Math.min(chunks.size(), from + EMBED_BATCH));
            List<float[]> vectors = gateway.embed(tenantId, kb.embeddingModel(), batch.stream().map(Chunker.Chunk::text).toList()).vectors();
            for (int i = 0; i < batch.size(); i++) {
                Chunker.Chunk chunk = batch.get(i);
                tokens += chunk.tokens();
                indexed.add(new IndexedChunk(UUID.randomUUID(), documentId, title, chunk.text(), chunk.start(), chunk.end(), vectors.get(i)));
            }
            progress.accept(indexed.size());
        }
        return new Embedded(indexed, chunks, tokens);
    }

    /** Stores a document's chunks and its ingest usage event, in the caller's transaction. */
    private void store(Connection connection, TenantPrincipal caller, KnowledgeBase kb, Embedded embedded, GuardrailDecisions decisions)
            throws SQLException {
        UUID tenantId = caller.tenantId();
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO chunk (id, tenant_id, kb_id, document_id, seq, text, start_offset, end_offset, tokens, embedding)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (int i = 0; i < embedded.chunks().size(); i++) {
                IndexedChunk chunk = embedded.chunks().get(i);
                insert.setObject(1, chunk.id());
                insert.setObject(2, tenantId);
                insert.setObject(3, kb.id());
                insert.setObject(4, chunk.documentId());
                insert.setInt(5, i);
                insert.setString(6, chunk.text());
                insert.setInt(7, chunk.start());
                insert.setInt(8, chunk.end());
                insert.setInt(9, embedded.pieces().get(i).tokens());
                insert.setBytes(10, IndexedChunk.toBytes(chunk.embedding()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        outbox.record(connection, new Usage(tenantId, caller.keyId(), "rag.ingest", kb.embeddingModel(), 0, 0,
                embedded.tokens(), embedded.chunks().size(), decisions.counts()));
    }

    /** Indexes a document committed as INDEXING (a job): its chunks, READY status and usage event commit together. */
    void index(TenantPrincipal caller, KnowledgeBase kb, UUID documentId, String title, String text,
               GuardrailDecisions decisions, IntConsumer progress) {
        UUID tenantId = caller.tenantId();
        // opened (and, if needed, rebuilt from PostgreSQL) before this document's chunks are committed
        KnowledgeBaseIndex index = indexes.index(tenantId, kb.id());
        Embedded embedded = embed(tenantId, kb, documentId, title, text, progress);
        database.inTenant(tenantId, connection -> {
            store(connection, caller, kb, embedded, decisions);
            try (PreparedStatement ready = connection.prepareStatement(
                    "UPDATE document SET status = 'READY', chunks = ? WHERE id = ? AND tenant_id = ?")) {
                ready.setInt(1, embedded.chunks().size());
                ready.setObject(2, documentId);
                ready.setObject(3, tenantId);
                ready.executeUpdate();
            }
            return null;
        });
        index.add(embedded.chunks());
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
            } finally {
                jobSlots.release(tenantId);
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
                    SELECT j.tenant_id, j.kb_id, j.document_id, j.id AS job_id, d.title, d.text FROM ingest_job j
                    JOIN document d ON d.id = j.document_id WHERE j.status IN ('QUEUED', 'RUNNING')""");
                 ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    found.add(new Pending(row.getObject("tenant_id", UUID.class), row.getObject("kb_id", UUID.class),
                            row.getObject("document_id", UUID.class), row.getObject("job_id", UUID.class), row.getString("title"),
                            row.getString("text")));
                }
            }
            return found;
        });
        for (Pending job : pending) {
            LOG.infof("resuming ingest job %s", job.jobId());
            KnowledgeBase kb = knowledgeBases.get(job.tenantId(), job.kbId());
            jobSlots.take(job.tenantId());
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

    /** The document with this text, committed by a concurrent upload (its insert is what made ours conflict). */
    private static DocumentView findByHash(Connection connection, UUID kbId, String hash) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(SELECT + " WHERE d.kb_id = ? AND d.content_hash = ?")) {
            query.setObject(1, kbId);
            query.setString(2, hash);
            return read(query).stream().findFirst()
                    .orElseThrow(() -> new IllegalStateException("a document with this text conflicted and then disappeared"));
        }
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
                documents.add(new DocumentView(row.getObject("id", UUID.class), row.getObject("kb_id", UUID.class),
                        row.getString("title"), row.getString("content_type"), row.getString("content_hash"), row.getString("status"),
                        row.getInt("chunks"), row.getInt("pii_findings"), row.getString("error"),
                        row.getTimestamp("created_at").toInstant(), row.getObject("job_id", UUID.class)));
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
