package dev.atrium.dataplane.rag;

import static dev.atrium.dataplane.testing.DataPlaneApi.apiKey;
import static dev.atrium.dataplane.testing.DataPlaneApi.as;
import static dev.atrium.dataplane.testing.DataPlaneApi.fullKey;
import static dev.atrium.dataplane.testing.DataPlaneApi.knowledgeBase;
import static dev.atrium.dataplane.testing.DataPlaneApi.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.DataPlaneStack;
import dev.atrium.dataplane.rag.index.IndexRegistry;
import dev.atrium.dataplane.rag.index.SearchHit;
import dev.atrium.dataplane.rag.index.SearchMode;
import dev.atrium.dataplane.testing.DataPlaneApi.Tenant;

@DataPlaneStack
class RagTest {

    static final String VOLCANOES = """
            Volcanoes form where magma from the mantle reaches the surface. Most volcanoes sit along the boundaries of
            tectonic plates, where one plate slides beneath another.

            Mount Etna in Sicily is one of the most active volcanoes in the world. It has erupted many times in recorded
            history and its lava flows have reached the city of Catania.

            A caldera is a large depression that forms when a volcano empties its magma chamber in a massive eruption
            and the ground above collapses.""";

    static final String BEES = """
            Honey bees communicate the direction of flowers with the waggle dance. The angle of the dance relative to
            gravity shows the angle between the sun and the food source.

            A colony has one queen, thousands of female workers and, in summer, a few hundred male drones. Workers
            build the comb from wax they secrete from glands on their abdomen.""";

    @Inject
    IndexRegistry indexes;

    private static String addText(String key, String kb, String title, String text) {
        return as(key).body(Map.of("title", title, "text", text)).post("/v1/knowledge-bases/" + kb + "/documents")
                .then().statusCode(201).extract().path("id");
    }

    private static JsonPath query(String key, String kb, String query, String mode) {
        return as(key).body(Map.of("query", query, "topK", 3, "mode", mode)).post("/v1/knowledge-bases/" + kb + "/query")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void ingestThenQueryInEveryModeAndAnswerExtractivelyWithCitationsThatPointIntoTheDocument() {
        Tenant tenant = tenant("rag");
        String key = fullKey(tenant);
        String kb = knowledgeBase(key, "science");
        String volcanoes = addText(key, kb, "Volcanoes", VOLCANOES);
        addText(key, kb, "Bees", BEES);

        for (String mode : List.of("vector", "keyword", "hybrid")) {
            JsonPath result = query(key, kb, "Which volcano in Sicily erupts often?", mode);
            assertThat(result.getString("mode")).isEqualTo(mode);
            assertThat(result.getString("results[0].documentId")).as(mode).isEqualTo(volcanoes);
            assertThat(result.getString("results[0].text")).as(mode).contains("Etna");
            assertThat(result.getInt("results[0].rank")).isEqualTo(1);
        }
        JsonPath bees = query(key, kb, "how do bees tell others where flowers are", "hybrid");
        assertThat(bees.getString("results[0].title")).as(bees.prettify()).isEqualTo("Bees");

        JsonPath answer = as(key).body(Map.of("question", "Which volcano in Sicily is very active?"))
                .post("/v1/knowledge-bases/" + kb + "/answer").then().statusCode(200).extract().jsonPath();
        assertThat(answer.getString("mode")).isEqualTo("extractive");
        assertThat(answer.getString("answer")).contains("Etna").contains("[1]");
        int start = answer.getInt("citations[0].start");
        int end = answer.getInt("citations[0].end");
        assertThat(VOLCANOES.substring(start, end)).isEqualTo(answer.getString("citations[0].text"));
        assertThat(answer.getString("citations[0].documentId")).isEqualTo(volcanoes);
    }

    @Test
    void documentsAreIdempotentByContentAndDeletingOneRemovesItsChunksFromResults() {
        Tenant tenant = tenant("rag-docs");
        String key = fullKey(tenant);
        String kb = knowledgeBase(key, "docs");
        String first = addText(key, kb, "Volcanoes", VOLCANOES);
        as(key).body(Map.of("title", "Same text again", "text", VOLCANOES)).post("/v1/knowledge-bases/" + kb + "/documents")
                .then().statusCode(200).body("id", equalTo(first));
        as(key).get("/v1/knowledge-bases/" + kb + "/documents").then().statusCode(200).body("items", hasSize(1))
                .body("items[0].status", equalTo("READY"));
        as(key).get("/v1/knowledge-bases/" + kb).then().statusCode(200).body("documents", equalTo(1));

        as(key).delete("/v1/knowledge-bases/" + kb + "/documents/" + first).then().statusCode(204);
        assertThat(query(key, kb, "Etna", "keyword").getList("results")).isEmpty();
        as(key).get("/v1/knowledge-bases/" + kb + "/documents/" + first).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void markdownHtmlAndPdfUploadsAreParsed() throws IOException {
        Tenant tenant = tenant("rag-files");
        String key = fullKey(tenant);
        String kb = knowledgeBase(key, "files");
        as(key).contentType("multipart/form-data")
                .multiPart("file", "notes.md", "# Glaciers\n\nGlaciers carve U-shaped valleys.".getBytes(StandardCharsets.UTF_8), "text/markdown")
                .post("/v1/knowledge-bases/" + kb + "/documents").then().statusCode(201).body("title", equalTo("notes.md"))
                .body("contentType", equalTo("text/markdown"));
        as(key).contentType("multipart/form-data")
                .multiPart("file", "page.html", "<html><head><script>var secret = 'x';</script></head><body><h1>Deserts</h1><p>The Atacama is the driest desert.</p></body></html>"
                        .getBytes(StandardCharsets.UTF_8), "text/html")
                .post("/v1/knowledge-bases/" + kb + "/documents").then().statusCode(201);
        as(key).contentType("multipart/form-data").multiPart("title", "Rivers")
                .multiPart("file", "rivers.pdf", pdf("The Amazon carries more water than any other river."), "application/pdf")
                .post("/v1/knowledge-bases/" + kb + "/documents").then().statusCode(201).body("title", equalTo("Rivers"));

        assertThat(query(key, kb, "driest desert", "keyword").getString("results[0].text")).contains("Atacama").doesNotContain("secret");
        assertThat(query(key, kb, "which river carries the most water", "hybrid").getString("results[0].title")).isEqualTo("Rivers");
        assertThat(query(key, kb, "valleys shaped by ice", "vector").getString("results[0].title")).isEqualTo("notes.md");

        as(key).contentType("multipart/form-data").multiPart("file", "x.bin", new byte[] {1, 2, 3}, "application/zip")
                .post("/v1/knowledge-bases/" + kb + "/documents").then().statusCode(415).contentType("application/problem+json");
        as(key).contentType("multipart/form-data").multiPart("file", "broken.pdf", "not a pdf".getBytes(StandardCharsets.UTF_8), "application/pdf")
                .post("/v1/knowledge-bases/" + kb + "/documents").then().statusCode(422);
        as(key).get("/v1/knowledge-bases/" + kb).then().body("documents", equalTo(3));
    }

    @Test
    void aLargeDocumentIsIndexedByAJobWithProgress() {
        Tenant tenant = tenant("rag-job");
        String key = fullKey(tenant);
        String kb = knowledgeBase(key, "big");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            text.append("Paragraph ").append(i).append(" about lighthouse number ").append(i)
                    .append(", which guides ships along the rocky coast with a rotating lamp.\n\n");
        }
        Response accepted = as(key).body(Map.of("title", "Lighthouses", "text", text.toString()))
                .post("/v1/knowledge-bases/" + kb + "/documents");
        accepted.then().statusCode(202).body("job.status", org.hamcrest.Matchers.oneOf("QUEUED", "RUNNING"))
                .header("Location", containsString("/v1/jobs/"));
        String job = accepted.path("job.id");
        await().atMost(Duration.ofSeconds(60)).until(() -> "DONE".equals(as(key).get("/v1/jobs/" + job).path("status")));
        as(key).get("/v1/jobs/" + job).then().body("percent", equalTo(100))
                .body("chunksDone", equalTo(as(key).get("/v1/jobs/" + job).path("chunksTotal")));
        as(key).get("/v1/knowledge-bases/" + kb + "/documents/" + accepted.path("document.id")).then().body("status", equalTo("READY"));
        assertThat(query(key, kb, "lighthouse number 42", "keyword").getString("results[0].text")).contains("lighthouse number 42");
    }

    @Test
    void theIndexRebuiltFromPostgresAnswersTheSame() {
        Tenant tenant = tenant("rag-rebuild");
        String key = fullKey(tenant);
        String kb = knowledgeBase(key, "rebuild");
        addText(key, kb, "Volcanoes", VOLCANOES);
        addText(key, kb, "Bees", BEES);
        List<String> questions = List.of("active volcano Sicily", "queen and drones", "collapse after eruption", "waggle dance");
        List<List<String>> before = questions.stream().map(q -> query(key, kb, q, "hybrid").getList("results.chunkId", String.class)).toList();

        int rebuilt = indexes.rebuild(tenant.id(), UUID.fromString(kb));
        assertThat(rebuilt).isGreaterThan(0);
        List<List<String>> after = questions.stream().map(q -> query(key, kb, q, "hybrid").getList("results.chunkId", String.class)).toList();
        assertThat(after).isEqualTo(before);
        List<SearchHit> direct = indexes.index(tenant.id(), UUID.fromString(kb)).search(SearchMode.KEYWORD, "waggle", null, 1);
        assertThat(direct).singleElement().satisfies(hit -> assertThat(hit.title()).isEqualTo("Bees"));
    }

    @Test
    void anotherTenantCannotSeeOrTouchTheKnowledgeBase() {
        Tenant a = tenant("rag-a");
        Tenant b = tenant("rag-b");
        String keyA = fullKey(a);
        String keyB = fullKey(b);
        String kb = knowledgeBase(keyA, "private");
        String doc = addText(keyA, kb, "Volcanoes", VOLCANOES);

        as(keyB).get("/v1/knowledge-bases").then().statusCode(200).body("items", hasSize(0));
        as(keyB).get("/v1/knowledge-bases/" + kb).then().statusCode(404);
        as(keyB).body(Map.of("query", "Etna")).post("/v1/knowledge-bases/" + kb + "/query").then().statusCode(404);
        as(keyB).body(Map.of("question", "Etna?")).post("/v1/knowledge-bases/" + kb + "/answer").then().statusCode(404);
        as(keyB).body(Map.of("title", "x", "text", "y")).post("/v1/knowledge-bases/" + kb + "/documents").then().statusCode(404);
        as(keyB).get("/v1/knowledge-bases/" + kb + "/documents/" + doc).then().statusCode(404);
        as(keyB).delete("/v1/knowledge-bases/" + kb + "/documents/" + doc).then().statusCode(404);
        as(keyB).delete("/v1/knowledge-bases/" + kb).then().statusCode(404);
        assertThat(query(keyA, kb, "Etna", "keyword").getList("results")).isNotEmpty();
    }

    @Test
    void scopesAreEnforcedAndBadInputIsRefusedWithoutChangingAnything() {
        Tenant tenant = tenant("rag-scopes");
        String queryOnly = apiKey(tenant, "rag:query");
        String full = fullKey(tenant);
        as(queryOnly).body(Map.of("name", "nope")).post("/v1/knowledge-bases").then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("rag:ingest"));
        as(apiKey(tenant, "models:invoke")).get("/v1/knowledge-bases").then().statusCode(403);

        as(full).body(Map.of("name", "")).post("/v1/knowledge-bases").then().statusCode(400).contentType("application/problem+json");
        as(full).body(Map.of("name", "x", "chunking", Map.of("size", 4000))).post("/v1/knowledge-bases").then().statusCode(400)
                .body("detail", containsString("chunking.size"));
        as(full).body(Map.of("name", "x", "embeddingModel", "no-such-model")).post("/v1/knowledge-bases").then().statusCode(400);
        as(full).body(Map.of("name", "x", "chatModel", "private")).post("/v1/knowledge-bases").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("chatModel"));
        as(full).body("{not json").post("/v1/knowledge-bases").then().statusCode(400);
        as(full).get("/v1/knowledge-bases").then().body("items", hasSize(0));

        String kb = knowledgeBase(full, "kb");
        as(full).body(Map.of("name", "kb")).post("/v1/knowledge-bases").then().statusCode(409);
        as(full).body(Map.of("query", "x", "mode", "psychic")).post("/v1/knowledge-bases/" + kb + "/query").then().statusCode(400);
        as(full).body(Map.of("query", "x", "topK", 0)).post("/v1/knowledge-bases/" + kb + "/query").then().statusCode(400);
        as(full).body(Map.of("title", "t")).post("/v1/knowledge-bases/" + kb + "/documents").then().statusCode(400);
        as(full).get("/v1/knowledge-bases/" + kb + "/documents").then().body("items", hasSize(0));
        as(full).get("/v1/knowledge-bases/not-a-uuid").then().statusCode(404);
    }

    private static byte[] pdf(String text) throws IOException {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            document.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.beginText();
                content.setFont(PDType1Font.HELVETICA, 12);
                content.newLineAtOffset(72, 700);
                content.showText(text);
                content.endText();
            }
            document.save(out);
            return out.toByteArray();
        }
    }
}
