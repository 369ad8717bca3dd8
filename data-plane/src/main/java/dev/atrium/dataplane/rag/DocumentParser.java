package dev.atrium.dataplane.rag;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import dev.langchain4j.data.document.parser.apache.pdfbox.ApachePdfBoxDocumentParser;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.Problem;

/** Turns an upload into plain text: text and Markdown as they are, HTML without markup, PDF through PDFBox. */
@ApplicationScoped
public class DocumentParser {

    private final ApachePdfBoxDocumentParser pdf = new ApachePdfBoxDocumentParser();

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
            case "text/html", "application/xhtml+xml" -> html(new String(content, StandardCharsets.UTF_8));
            case "application/pdf" -> pdf(content);
            default -> throw new ApiException(Problem.UNSUPPORTED_MEDIA_TYPE, "cannot index " + mediaType
                    + "; send text/plain, text/markdown, text/html or application/pdf");
        };
        text = text.replace("\r\n", "\n").replace('\u0000', ' ').strip();
        if (text.isEmpty()) {
            throw new ApiException(Problem.UNPROCESSABLE, "the document contains no text");
        }
        return text;
    }

    private String pdf(byte[] content) {
        try {
            return pdf.parse(new ByteArrayInputStream(content)).text();
        } catch (RuntimeException e) {
            throw new ApiException(Problem.UNPROCESSABLE, "not a readable PDF: " + e.getMessage());
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
}
