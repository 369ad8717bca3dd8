package dev.atrium.dataplane.rag;

import static dev.atrium.dataplane.testing.DataPlaneApi.appConnection;
import static dev.atrium.dataplane.testing.DataPlaneApi.as;
import static dev.atrium.dataplane.testing.DataPlaneApi.fullKey;
import static dev.atrium.dataplane.testing.DataPlaneApi.knowledgeBase;
import static dev.atrium.dataplane.testing.DataPlaneApi.scopeTransactionTo;
import static dev.atrium.dataplane.testing.DataPlaneApi.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.DataPlaneStack;
import dev.atrium.dataplane.testing.DataPlaneApi.Tenant;

/**
 * Ingest has resource limits, and while one tenant throws PDF bombs and oversized uploads at the region, another
 * tenant's queries keep being answered. Refused documents leave nothing in the database.
 */
@DataPlaneStack
class IngestLimitsTest {

    private record Answered(int status, long millis) {
    }

    /** Another tenant's application, querying its knowledge base in a loop while the attacks run. */
    private static final class Bystander implements AutoCloseable {
        final List<Answered> answers = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Bystander(String key, String kb) {
            thread = Thread.ofPlatform().name("bystander").start(() -> {
                while (running.get()) {
                    long start = System.nanoTime();
                    int status = as(key).body(Map.of("query", "which river carries the most water", "mode", "hybrid"))
                            .post("/v1/knowledge-bases/" + kb + "/query").statusCode();
                    answers.add(new Answered(status, (System.nanoTime() - start) / 1_000_000));
                }
            });
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    private static String documents(String kb) {
        return "/v1/knowledge-bases/" + kb + "/documents";
    }

    private static long rows(Tenant tenant, String sql) throws SQLException {
        try (Connection connection = appConnection()) {
            connection.setAutoCommit(false);
            scopeTransactionTo(connection, tenant.id().toString());
            try (ResultSet row = connection.createStatement().executeQuery(sql)) {
                row.next();
                return row.getLong(1);
            } finally {
                connection.rollback();
            }
        }
    }

    private static JsonPath upload(String key, String kb, String name, byte[] pdf, int status) {
        long start = System.nanoTime();
        JsonPath refusal = as(key).contentType("multipart/form-data").multiPart("file", name, pdf, "application/pdf")
                .post(documents(kb)).then().statusCode(status).contentType("application/problem+json").extract().jsonPath();
        System.out.printf("%s (%d bytes): %d in %d ms%n", name, pdf.length, status, (System.nanoTime() - start) / 1_000_000);
        return refusal;
    }

    @Test
    void bombsAndOversizedUploadsAreRefusedWhileAnotherTenantKeepsBeingAnswered() throws Exception {
        Tenant other = tenant("limits-bystander");
        String otherKey = fullKey(other);
        String otherKb = knowledgeBase(otherKey, "rivers");
        as(otherKey).body(Map.of("title", "Rivers", "text", "The Amazon carries more water than any other river."))
                .post(documents(otherKb)).then().statusCode(201);

        Tenant attacker = tenant("limits-attacker");
        String key = fullKey(attacker);
        String kb = knowledgeBase(key, "target");
        byte[] pageBomb = PdfBombs.pageTree(2, 5_000_000);
        byte[] hiddenPages = PdfBombs.pageTree(2_500, 1);
        byte[] inflating = PdfBombs.decompression(512L << 20);
        byte[] nested = PdfBombs.nested(500_000);
        assertThat(List.of(pageBomb.length, hiddenPages.length, inflating.length, nested.length)).allMatch(size -> size < 2_000_000);

        long started = System.nanoTime();
        try (Bystander bystander = new Bystander(otherKey, otherKb)) {
            String hundredMegabytes = send100MegabyteUpload(key, documents(kb));
            assertThat(hundredMegabytes).startsWith("HTTP/1.1 413").containsIgnoringCase("content-type: application/problem+json")
                    .contains("\"type\":\"https://atrium.dev/problems/payload-too-large\"").contains("104857600 bytes");

            assertThat(upload(key, kb, "pages.pdf", pageBomb, 413).getString("detail")).contains("more than 2000 pages");
            assertThat(upload(key, kb, "hidden-pages.pdf", hiddenPages, 413).getString("detail")).contains("more than 2000 pages");
            assertThat(upload(key, kb, "inflating.pdf", inflating, 413).getString("detail")).contains("decode to more than");
            assertThat(upload(key, kb, "nested.pdf", nested, 422).getString("detail")).contains("not a readable document");
            as(key).body(Map.of("title", "Too long", "text", "a".repeat(2_000_001))).post(documents(kb)).then().statusCode(413)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("text"))
                    .body("detail", containsString("atrium.rag.max-document-chars"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("every refusal came well within the parse timeout")
                    .isLessThan(Duration.ofSeconds(30));
            Thread.sleep(500);
            bystander.close();

            System.out.printf("the other tenant's queries: %d, slowest %d ms%n", bystander.answers.size(),
                    bystander.answers.stream().mapToLong(Answered::millis).max().orElse(0));
            assertThat(bystander.answers).as("the other tenant was answered throughout").hasSizeGreaterThan(5);
            assertThat(bystander.answers).allSatisfy(answer -> {
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.millis()).isLessThan(5_000);
            });
        }
        assertThat(rows(attacker, "SELECT count(*) FROM document")).as("nothing stored for refused documents").isZero();
        assertThat(rows(attacker, "SELECT count(*) FROM chunk")).isZero();
        assertThat(rows(attacker, "SELECT count(*) FROM audit_outbox WHERE event->>'action' = 'document.create'")).isZero();
        assertThat(rows(attacker, "SELECT count(*) FROM usage_outbox WHERE event->>'operation' = 'rag.ingest'")).isZero();
        as(key).body(Map.of("title", "Fine", "text", "A normal document is still welcome.")).post(documents(kb)).then().statusCode(201);
    }

    /**
     * 100 MB declared in {@code Content-Length} and streamed as fast as the server takes it; returns what the server
     * answered (it must answer before the body is through, and close the connection).
     */
    private static String send100MegabyteUpload(String key, String path) throws Exception {
        long length = 100L << 20;
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: multipart/form-data; boundary=bomb\r\nContent-Length: " + length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Thread writer = Thread.ofVirtual().start(() -> {
                byte[] chunk = new byte[1 << 16];
                try {
                    for (long sent = 0; sent < length; sent += chunk.length) {
                        out.write(chunk);
                    }
                } catch (java.io.IOException expected) {
                    // the server closed the connection without reading the rest: what it should do
                }
            });
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int read; (read = in.read(buffer)) >= 0; ) {
                answer.write(buffer, 0, read);
            }
            writer.join(10_000);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aFullJobQueueRefusesLargeDocumentsWith429AndStoresNothing() throws Exception {
        Tenant tenant = tenant("limits-queue");
        String key = fullKey(tenant);
        String kb = knowledgeBase(key, "queue");
        // above the synchronous limit of the tests (4,000 characters), so each becomes a background job
        for (int i = 0; i < 2; i++) {
            as(key).body(Map.of("title", "Long " + i, "text", longText(i))).post(documents(kb)).then().statusCode(202);
        }
        as(key).body(Map.of("title", "Long 2", "text", longText(2))).post(documents(kb)).then().statusCode(429)
                .contentType("application/problem+json").header("Retry-After", "30")
                .body("detail", containsString("atrium.rag.max-queued-jobs-per-tenant"));
        assertThat(rows(tenant, "SELECT count(*) FROM document")).isEqualTo(2);
        assertThat(rows(tenant, "SELECT count(*) FROM ingest_job")).isEqualTo(2);

        await().atMost(Duration.ofMinutes(2)).until(() -> rows(tenant, "SELECT count(*) FROM ingest_job WHERE status = 'DONE'") == 2);
        as(key).body(Map.of("title", "Long 2", "text", longText(2))).post(documents(kb)).then().statusCode(202);
    }

    private static String longText(int variant) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 60_000; i++) {
            text.append("Variant ").append(variant).append(", paragraph ").append(i)
                    .append(": rivers carry sediment from the mountains to the sea, shaping deltas and plains. ");
        }
        return text.toString();
    }
}
