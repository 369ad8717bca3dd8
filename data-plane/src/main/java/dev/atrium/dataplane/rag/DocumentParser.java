package dev.atrium.dataplane.rag;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.common.Problem;

/**
 * Turns an upload into plain text: text and Markdown as they are, HTML without markup, PDF through PDFBox. Every
 * limit of {@code atrium.rag.*} holds here: extracted characters, PDF pages and decoded stream bytes, and parse
 * time. HTML and PDF are parsed on a small bounded pool, so a document built to be expensive occupies at most those
 * threads for at most the parse timeout, and no request thread; when the pool and its queue are full, uploads get
 * 429 with {@code Retry-After} until a parse finishes.
 */
@ApplicationScoped
public class DocumentParser {

    private static final long BUSY_RETRY_SECONDS = 5;
    /** How often (in content-stream operators) a PDF's extraction checks its deadline. */
    private static final int OPERATORS_BETWEEN_CHECKS = 256;

    @Inject
    DataPlaneConfig config;

    @Inject
    MeterRegistry metrics;

    private ThreadPoolExecutor pool;

    @PostConstruct
    void start() {
        int threads = config.rag().parseThreads();
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(config.rag().parseQueue()),
                Thread.ofPlatform().name("document-parse-", 0).daemon().factory(), new ThreadPoolExecutor.AbortPolicy());
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    /** The media type to parse as, from the declared type or, failing that, the file name. */
    public static String mediaType(String declared, String fileName) {
        String type = declared == null ? "" : declared.toLowerCase(Locale.ROOT).split(";")[0].trim();
        if (!type.isEmpty() && !type.equals("application/octet-stream")) {
            return type;
        }
        String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".pdf")) {
            return "application/pdf";
        }
        if (name.endsWith(".html") || name.endsWith(".htm")) {
            return "text/html";
        }
        if (name.endsWith(".md") || name.endsWith(".markdown")) {
            return "text/markdown";
        }
        return "text/plain";
    }

    public String parse(byte[] content, String mediaType) {
        String text = switch (mediaType) {
            case "text/plain", "text/markdown", "text/x-markdown" -> new String(content, StandardCharsets.UTF_8);
            case "text/html", "application/xhtml+xml" -> bounded(() -> html(new String(content, StandardCharsets.UTF_8)));
            case "application/pdf" -> bounded(() -> pdf(content));
            default -> throw new ApiException(Problem.UNSUPPORTED_MEDIA_TYPE, "cannot index " + mediaType
                    + "; send text/plain, text/markdown, text/html or application/pdf");
        };
        text = text.replace("\r\n", "\n").replace('\u0000', ' ').strip();
        if (text.isEmpty()) {
            throw new ApiException(Problem.UNPROCESSABLE, "the document contains no text");
        }
        requireAtMostMaxChars(text.length());
        return text;
    }

    private void requireAtMostMaxChars(long chars) {
        if (chars > config.rag().maxDocumentChars()) {
            throw refused("too-many-characters", new ApiException(Problem.TOO_LARGE, "the document's text has more than "
                    + config.rag().maxDocumentChars() + " characters (atrium.rag.max-document-chars)"));
        }
    }

    private interface Parse {
        String run() throws IOException;
    }

    /** Runs a parse on the pool and waits at most the parse timeout; a parse that runs out of time is interrupted. */
    private String bounded(Parse parse) {
        Duration timeout = config.rag().parseTimeout();
        Future<String> result;
        try {
            result = pool.submit(parse::run);
        } catch (RejectedExecutionException e) {
            throw refused("busy", new ApiException(Problem.RATE_LIMITED, "every document parser is busy; retry after "
                    + BUSY_RETRY_SECONDS + " s", null, BUSY_RETRY_SECONDS));
        }
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            throw refused("parse-timeout", new ApiException(Problem.UNPROCESSABLE, "the document could not be parsed within "
                    + describe(timeout) + " (atrium.rag.parse-timeout)"));
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new ApiException(Problem.UNPROCESSABLE, "interrupted while parsing the document");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException refusal) {
                throw refusal;
            }
            String why = e.getCause() instanceof StackOverflowError ? "its structure is nested too deeply"
                    : String.valueOf(e.getCause().getMessage());
            throw refused("unreadable", new ApiException(Problem.UNPROCESSABLE, "not a readable document: " + why));
        }
    }

    private ApiException refused(String reason, ApiException refusal) {
        metrics.counter("atrium.rag.documents.refused", "reason", reason).increment();
        return refusal;
    }

    /**
     * PDFBox's text extraction (what LangChain4j's PDFBox parser runs), with the page count checked before
     * extracting, decoded streams limited in bytes (a small compressed stream can inflate to gigabytes), and pages,
     * characters and the deadline checked while extracting.
     */
    private String pdf(byte[] content) throws IOException {
        long deadline = System.nanoTime() + config.rag().parseTimeout().toNanos();
        try (PDDocument document = PDDocument.load(content, "", null, null,
                MemoryUsageSetting.setupMainMemoryOnly(config.rag().pdfMaxDecodedBytes()))) {
            requireAtMostMaxPages(document.getNumberOfPages());
            return new BoundedTextStripper(deadline).getText(document);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("Maximum allowed scratch file memory exceeded")) {
                throw refused("pdf-decoded-bytes", new ApiException(Problem.TOO_LARGE, "the PDF's streams decode to more than "
                        + config.rag().pdfMaxDecodedBytes() + " bytes (atrium.rag.pdf-max-decoded-bytes)"));
            }
            throw e;
        }
    }

    private void requireAtMostMaxPages(int pages) {
        if (pages > config.rag().maxPdfPages()) {
            throw refused("pdf-pages", new ApiException(Problem.TOO_LARGE, "the PDF has more than " + config.rag().maxPdfPages()
                    + " pages (atrium.rag.max-pdf-pages)"));
        }
    }

    /** Stops at the page limit (the page tree may hold more pages than it declares), the character limit and the deadline. */
    private final class BoundedTextStripper extends PDFTextStripper {
        private final long deadline;
        private int pages;
        private long chars;
        private int operators;

        BoundedTextStripper(long deadline) throws IOException {
            this.deadline = deadline;
        }

        @Override
        protected void startPage(PDPage page) throws IOException {
            requireAtMostMaxPages(++pages);
            checkTime();
            super.startPage(page);
        }

        @Override
        protected void writeString(String text, List<TextPosition> textPositions) throws IOException {
            chars += text.length();
            requireAtMostMaxChars(chars);
            super.writeString(text, textPositions);
        }

        @Override
        protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
            if (++operators % OPERATORS_BETWEEN_CHECKS == 0) {
                checkTime();
            }
            super.processOperator(operator, operands);
        }

        private void checkTime() {
            boolean cancelled = Thread.currentThread().isInterrupted();
            if (cancelled || System.nanoTime() > deadline) {
                ApiException late = new ApiException(Problem.UNPROCESSABLE, "the document could not be parsed within "
                        + describe(config.rag().parseTimeout()) + " (atrium.rag.parse-timeout)");
                // a cancelled parse was counted by the request that gave up on it
                throw cancelled ? late : refused("parse-timeout", late);
            }
        }
    }

    /** Visible text of the body, one line per block element, without scripts and styles. */
    private static String html(String html) {
        org.jsoup.nodes.Document document = Jsoup.parse(html);
        document.select("script, style, noscript, template").remove();
        for (Element block : document.select("p, div, br, li, tr, h1, h2, h3, h4, h5, h6, pre, blockquote, section, article")) {
            block.appendText("\n");
        }
        return document.body() == null ? "" : document.body().wholeText().replaceAll("[ \\t]+", " ").replaceAll("\\n\\s*\\n+", "\n\n");
    }

    /** "30 s", or "250 ms" for a timeout that is not whole seconds. */
    static String describe(java.time.Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }
}
