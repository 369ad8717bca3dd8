package dev.atrium.dataplane.rag;

import static dev.atrium.dataplane.testing.DataPlaneApi.appConnection;
import static dev.atrium.dataplane.testing.DataPlaneApi.as;
import static dev.atrium.dataplane.testing.DataPlaneApi.fullKey;
import static dev.atrium.dataplane.testing.DataPlaneApi.knowledgeBase;
import static dev.atrium.dataplane.testing.DataPlaneApi.scopeTransactionTo;
import static dev.atrium.dataplane.testing.DataPlaneApi.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.DataPlaneStack;
import dev.atrium.dataplane.testing.DataPlaneApi.Tenant;
import dev.atrium.dataplane.testing.OpenAiUpstreamSimulation;

/**
 * A small document is committed together with its chunks: a failure while indexing it leaves nothing behind (so
 * the content-hash dedupe cannot hand back a document that was never indexed), a document left INDEXING by a crash
 * of an earlier version does not block its text, and identical uploads at the same time make one document.
 */
@DataPlaneStack
class SynchronousIngestTest {

    private static String documents(String kb) {
        return "/v1/knowledge-bases/" + kb + "/documents";
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Rows of the tenant, through the application's database role and row-level security. */
    private static long count(Tenant tenant, String sql, Object... parameters) throws SQLException {
        try (Connection connection = appConnection()) {
            connection.setAutoCommit(false);
            scopeTransactionTo(connection, tenant.id().toString());
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    query.setObject(i + 1, parameters[i]);
                }
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            } finally {
                connection.rollback();
            }
        }
    }

    @Test
    void aDocumentWhoseIndexingFailsLeavesNothingBehindAndCanBeUploadedAgain() throws Exception {
        Tenant tenant = tenant("ingest-crash");
        String key = fullKey(tenant);
        String kb = as(key).body(Map.of("name", "upstream", "embeddingModel", "hashed-embeddings")).post("/v1/knowledge-bases")
                .then().statusCode(201).extract().path("id");
        String text = "Nothing is committed before its chunks are. " + UUID.randomUUID();
        Map<String, String> document = Map.of("title", "Atomic", "text", text);

        OpenAiUpstreamSimulation.EMBEDDINGS_DOWN.set(true);
        try {
            as(key).body(document).post(documents(kb)).then().statusCode(502).contentType("application/problem+json")
                    .body("type", equalTo("https://atrium.dev/problems/upstream-error"));
        } finally {
            OpenAiUpstreamSimulation.EMBEDDINGS_DOWN.set(false);
        }
        assertThat(count(tenant, "SELECT count(*) FROM document WHERE content_hash = ?", sha256(text))).isZero();
        assertThat(count(tenant, "SELECT count(*) FROM audit_outbox WHERE event->>'action' = 'document.create'")).isZero();
        assertThat(count(tenant, "SELECT count(*) FROM usage_outbox WHERE event->>'operation' = 'rag.ingest'")).isZero();

        String id = as(key).body(document).post(documents(kb)).then().statusCode(201).body("status", equalTo("READY"))
                .extract().path("id");
        as(key).body(document).post(documents(kb)).then().statusCode(200).body("id", equalTo(id));
        assertThat(count(tenant, "SELECT count(*) FROM chunk WHERE document_id = ?", UUID.fromString(id))).isPositive();
        assertThat(count(tenant, "SELECT count(*) FROM audit_outbox WHERE event->>'action' = 'document.create'")).isEqualTo(1);
    }

    @Test
    void aDocumentLeftIndexingByACrashDoesNotBlockItsText() throws Exception {
        Tenant tenant = tenant("ingest-stale");
        String key = fullKey(tenant);
        String kb = knowledgeBase(key, "stale");
        String text = "Basalt columns form when lava cools and contracts. " + UUID.randomUUID();
        UUID stale = UUID.randomUUID();
        try (Connection connection = appConnection()) {
            connection.setAutoCommit(false);
            scopeTransactionTo(connection, tenant.id().toString());
            // what an earlier version committed before indexing, and never finished: the process died in between
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO document (id, tenant_id, kb_id, title, content_type, content_hash, text, status, created_at)
                    VALUES (?, ?, ?, 'Basalt', 'text/plain', ?, ?, 'INDEXING', ?)""")) {
                insert.setObject(1, stale);
                insert.setObject(2, tenant.id());
                insert.setObject(3, UUID.fromString(kb));
                insert.setString(4, sha256(text));
                insert.setString(5, text);
                insert.setTimestamp(6, Timestamp.from(Instant.now()));
                insert.executeUpdate();
            }
            connection.commit();
        }

        String id = as(key).body(Map.of("title", "Basalt", "text", text)).post(documents(kb)).then().statusCode(201)
                .body("status", equalTo("READY")).extract().path("id");
        assertThat(id).isNotEqualTo(stale.toString());
        assertThat(count(tenant, "SELECT count(*) FROM document WHERE id = ?", stale)).isZero();
        assertThat(count(tenant, "SELECT count(*) FROM document WHERE content_hash = ?", sha256(text))).isEqualTo(1);
        as(key).body(Map.of("query", "how do basalt columns form", "mode", "keyword")).post("/v1/knowledge-bases/" + kb + "/query")
                .then().statusCode(200).body("results[0].documentId", equalTo(id));
    }

    @Test
    void identicalUploadsAtTheSameTimeMakeOneDocumentAndNoneFails() throws Exception {
        Tenant tenant = tenant("ingest-race");
        String key = fullKey(tenant);
        String kb = knowledgeBase(key, "race");
        Map<String, String> document = Map.of("title", "Race", "text", "Two uploads, one document. " + UUID.randomUUID());
        int uploads = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(uploads);
        List<Future<Response>> responses = new ArrayList<>();
        try {
            for (int i = 0; i < uploads; i++) {
                responses.add(clients.submit(() -> {
                    start.await();
                    return as(key).body(document).post(documents(kb));
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (Future<Response> response : responses) {
                statuses.add(response.get().statusCode());
                ids.add(response.get().path("id"));
            }
            assertThat(statuses).as("one creates it, the others get it").containsOnly(201, 200).containsOnlyOnce(201);
            assertThat(ids).containsOnly(ids.getFirst());
        } finally {
            clients.shutdownNow();
        }
        assertThat(count(tenant, "SELECT count(*) FROM document")).isEqualTo(1);
        assertThat(count(tenant, "SELECT count(*) FROM audit_outbox WHERE event->>'action' = 'document.create'")).isEqualTo(1);
    }
}
