package dev.atrium.dataplane.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.common.Problem;

/**
 * The parser's limits, each against a document built to break it (see {@link PdfBombs}), with small limits so that
 * each runs in about a second: one parse thread, a queue of one, a 2 s parse timeout, 100 pages, 50,000 characters,
 * 64 MB of decoded streams.
 */
class DocumentParserLimitsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final DocumentParser parser = parser(Map.of("parseThreads", 1, "parseQueue", 1, "parseTimeout", TIMEOUT,
            "maxPdfPages", 100, "maxDocumentChars", 50_000, "pdfMaxDecodedBytes", 64L << 20));

    private DocumentParser parser(Map<String, Object> rag) {
        DataPlaneConfig.Rag limits = (DataPlaneConfig.Rag) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataPlaneConfig.Rag.class}, (proxy, method, args) -> {
                    Object value = rag.get(method.getName());
                    if (value == null) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return value;
                });
        DocumentParser built = new DocumentParser();
        built.config = (DataPlaneConfig) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataPlaneConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("rag")) {
                        return limits;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        built.metrics = metrics;
        built.start();
        return built;
    }

    @AfterEach
    void stop() {
        parser.stop();
    }

    private ApiException refusal(byte[] pdf) {
        return catchThrowableOfType(ApiException.class, () -> parser.parse(pdf, "application/pdf"));
    }

    private double refused(String reason) {
        return metrics.counter("atrium.rag.documents.refused", "reason", reason).count();
    }

    @Test
    void anOrdinaryPdfIsRead() throws IOException {
        assertThat(parser.parse(pdf("Glaciers carve U-shaped valleys."), "application/pdf")).isEqualTo("Glaciers carve U-shaped valleys.");
        assertThat(parser.parse(PdfBombs.pageTree(3, 3), "application/pdf")).contains("page 1").contains("page 3");
    }

    @Test
    void aPdfDeclaringMorePagesThanTheLimitIsRefusedBeforeItsTextIsRead() {
        ApiException refused = refusal(PdfBombs.pageTree(2, 1_000_000));
        assertThat(refused.problem()).isEqualTo(Problem.TOO_LARGE);
        // the page limit refused it, not the parse timeout (whose message says "could not be parsed within")
        assertThat(refused).hasMessageContaining("more than 100 pages");
    }

    @Test
    void aPageTreeHoldingMorePagesThanItDeclaresIsStoppedAtTheLimit() {
        ApiException refused = refusal(PdfBombs.pageTree(150, 1));
        assertThat(refused.problem()).isEqualTo(Problem.TOO_LARGE);
        assertThat(refused).hasMessageContaining("more than 100 pages");
        assertThat(refused("pdf-pages")).isEqualTo(1);
    }

    @Test
    void aCompressedStreamInflatingToHundredsOfMegabytesIsStoppedAtTheDecodeLimit() throws IOException {
        byte[] bomb = PdfBombs.decompression(256L << 20);
        assertThat(bomb.length).as("the bomb itself is small").isLessThan(1 << 20);
        ApiException refused = refusal(bomb);
        assertThat(refused.problem()).isEqualTo(Problem.TOO_LARGE);
        assertThat(refused).hasMessageContaining("decode to more than " + (64L << 20) + " bytes");
    }

    @Test
    void aContentStreamNestedDeeperThanTheStackIsUnprocessable() {
        ApiException refused = refusal(PdfBombs.nested(500_000));
        assertThat(refused.problem()).isEqualTo(Problem.UNPROCESSABLE);
        assertThat(refused).hasMessageContaining("not a readable document");
    }

    @Test
    void aParseThatRunsOutOfTimeIsStoppedAndItsThreadServesTheNextDocument() throws IOException {
        // a timeout far below what 20 million operators take on any machine, so the test does not depend on its speed
        Duration shortTimeout = Duration.ofMillis(200);
        DocumentParser impatient = parser(Map.of("parseThreads", 1, "parseQueue", 1, "parseTimeout", shortTimeout,
                "maxPdfPages", 100, "maxDocumentChars", 50_000, "pdfMaxDecodedBytes", 64L << 20));
        try {
            byte[] slow = PdfBombs.manyOperators(20_000_000);
            long start = System.nanoTime();
            ApiException refused = catchThrowableOfType(ApiException.class, () -> impatient.parse(slow, "application/pdf"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(refused.problem()).isEqualTo(Problem.UNPROCESSABLE);
            assertThat(refused).hasMessageContaining("within 200 ms");
            assertThat(took).isGreaterThanOrEqualTo(shortTimeout).isLessThan(shortTimeout.plusSeconds(5));
            // the only parse thread was freed: the next document is read, not queued behind the stopped one
            assertThat(impatient.parse(pdf("After the slow one."), "application/pdf")).isEqualTo("After the slow one.");
        } finally {
            impatient.stop();
        }
    }

    @Test
    void tooMuchExtractedTextIsRefusedAsTooLarge() throws IOException {
        ApiException fromPdf = refusal(PdfBombs.pageTree(60, 60));
        assertThat(fromPdf).as("60 pages of text are fine").isNull();
        ApiException fromText = catchThrowableOfType(ApiException.class,
                () -> parser.parse("a".repeat(50_001).getBytes(StandardCharsets.UTF_8), "text/plain"));
        assertThat(fromText.problem()).isEqualTo(Problem.TOO_LARGE);
        assertThat(fromText).hasMessageContaining("more than 50000 characters");
        String page = "Words on a page. ".repeat(200);
        ApiException manyPages = refusal(pdf(page, 20));
        assertThat(manyPages.problem()).isEqualTo(Problem.TOO_LARGE);
        assertThat(manyPages).hasMessageContaining("more than 50000 characters");
    }

    @Test
    void whenEveryParserIsBusyAndTheQueueIsFullTheNextUploadGets429WithRetryAfter() throws Exception {
        byte[] slow = PdfBombs.manyOperators(20_000_000);
        ExecutorService uploads = Executors.newFixedThreadPool(2);
        Future<?> first = uploads.submit(() -> refusal(slow));
        Future<?> second = uploads.submit(() -> refusal(slow));
        uploads.shutdown();
        Thread.sleep(500);
        ApiException busy = refusal(pdf("Third in line."));
        assertThat(busy.problem()).isEqualTo(Problem.RATE_LIMITED);
        assertThat(busy.retryAfterSeconds()).isPositive();
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        assertThat(refused("busy")).isEqualTo(1);
    }

    private static byte[] pdf(String text) throws IOException {
        return pdf(text, 1);
    }

    private static byte[] pdf(String line, int pages) throws IOException {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (int i = 0; i < pages; i++) {
                PDPage page = new PDPage();
                document.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    content.beginText();
                    content.setFont(PDType1Font.HELVETICA, 6);
                    content.newLineAtOffset(20, 700);
                    for (int row = 0; row < line.length(); row += 150) {
                        content.showText(line.substring(row, Math.min(line.length(), row + 150)));
                        content.newLineAtOffset(0, -8);
                    }
                    content.endText();
                }
            }
            document.save(out);
            return out.toByteArray();
        }
    }
}
