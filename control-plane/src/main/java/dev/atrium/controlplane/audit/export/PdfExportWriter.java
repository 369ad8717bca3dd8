package dev.atrium.controlplane.audit.export;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import dev.atrium.compliance.audit.AuditChain;
import dev.atrium.controlplane.audit.digest.AuditSigningKeys;
import dev.atrium.controlplane.audit.digest.DigestView;
import dev.atrium.controlplane.trail.AuditRecord;

/**
 * The report an auditor reads: a cover page with the scope, the verification statement and a summary (counts by
 * action, outcome and actor), then the events table, with the manifest's key id and signature at the end. Pages
 * spill to a scratch file, so long reports do not fill the heap. The events are re-verified while they are
 * written, and the statement says what was found.
 */
class PdfExportWriter implements ExportWriter {

    private static final PDRectangle PAGE = new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth());
    private static final float MARGIN = 36;
    private static final float ROW = 11;
    private static final Color INK = new Color(0x1f, 0x29, 0x37);
    private static final Color MUTED = new Color(0x6b, 0x72, 0x80);
    private static final Color BAND = new Color(0xf3, 0xf4, 0xf6);
    private static final Color ACCENT = new Color(0x1d, 0x4e, 0xd8);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final float[] COLUMNS = {MARGIN, MARGIN + 34, MARGIN + 136, MARGIN + 300, MARGIN + 430, MARGIN + 590, MARGIN + 650};
    private static final String[] HEADINGS = {"Seq", "Time (UTC)", "Actor", "Action", "Resource", "Outcome", "Hash"};

    private final OutputStream out;
    private final PDDocument document = new PDDocument(MemoryUsageSetting.setupTempFileOnly().streamCache);
    private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private final ExportSummary summary = new ExportSummary();
    private final List<DigestView> digests = new ArrayList<>();
    private ExportView export;
    private PDPageContentStream content;
    private float y;
    private int rowsOnPage;
    private String previousHash;
    private long verified;
    private long listed;
    private long events;
    private String problem;
    private final long maxListedEvents;
    private boolean partial;

    /**
     * @param maxListedEvents the events table stops after this many rows (PDFBox keeps every page's objects until
     *                        the document is saved, so an unbounded table would not fit a small heap); every event is
     *                        still re-verified and counted in the summary, and the cover says what was left out
     */
    PdfExportWriter(OutputStream out, long maxListedEvents) {
        this.out = out;
        this.maxListedEvents = maxListedEvents;
    }

    @Override
    public void header(ExportView export, long firstSequence, long lastSequence) throws IOException {
        this.export = export;
        this.partial = export.filters() != null && !export.filters().isEmpty();
        PDDocumentInformation info = document.getDocumentInformation();
        info.setTitle("Atrium audit report " + export.id());
        info.setAuthor("Atrium control plane");
        info.setSubject("Audit trail of " + export.chainId());
    }

    @Override
    public void publicKey(AuditSigningKeys.PublicSigningKey key) {
    }

    @Override
    public void digest(DigestView digest) {
        digests.add(digest);
    }

    @Override
    public void event(AuditRecord event) throws IOException {
        if (problem == null) {
            if (!partial && previousHash != null && !previousHash.equals(event.prevHash())) {
                problem = "event " + event.id() + " does not link to the previous event";
            } else if (!AuditChain.hash(event.content(), event.prevHash()).equals(event.hash())) {
                problem = "event " + event.id() + " does not match its hash";
            } else {
                verified++;
            }
        }
        previousHash = event.hash();
        events++;
        summary.count(event);
        if (listed >= maxListedEvents) {
            return;
        }
        listed++;
        if (content == null || rowsOnPage >= 40) {
            newTablePage();
        }
        if (rowsOnPage % 2 == 1) {
            fill(BAND, MARGIN - 4, y - 3, PAGE.getWidth() - 2 * MARGIN + 8, ROW);
        }
        String[] cells = {Long.toString(event.sequence()), TIME.format(event.occurredAt()), event.actorId(), event.action(),
                event.resourceType() == null ? "" : event.resourceType() + " " + shorten(event.resourceId(), 12),
                event.outcome().name(), event.hash().substring(0, 16)};
        for (int i = 0; i < cells.length; i++) {
            text(regular, 7, i == 5 && !"SUCCESS".equals(cells[i]) ? ACCENT : INK, COLUMNS[i], y,
                    shorten(cells[i], i == 2 ? 30 : i == 3 ? 26 : 30));
        }
        y -= ROW;
        rowsOnPage++;
    }

    @Override
    public void manifest(ObjectNode manifest) throws IOException {
        closePage();
        PDPage cover = new PDPage(PAGE);
        if (document.getNumberOfPages() == 0) {
            document.addPage(cover);
        } else {
            document.getPages().insertBefore(cover, document.getPage(0));
        }
        try (PDPageContentStream c = new PDPageContentStream(document, cover)) {
            content = c;
            cover(manifest);
        }
        content = null;
        int pages = document.getNumberOfPages();
        for (int i = 0; i < pages; i++) {
            try (PDPageContentStream c = new PDPageContentStream(document, document.getPage(i),
                    PDPageContentStream.AppendMode.APPEND, true)) {
                content = c;
                text(regular, 7, MUTED, MARGIN, 20, "Atrium audit report " + export.id() + " · chain " + export.chainId());
                text(regular, 7, MUTED, PAGE.getWidth() - MARGIN - 50, 20, "page " + (i + 1) + " of " + pages);
            }
        }
        content = null;
        document.save(out);
        document.close();
    }

    private void cover(ObjectNode manifest) throws IOException {
        fill(ACCENT, 0, PAGE.getHeight() - 8, PAGE.getWidth(), 8);
        y = PAGE.getHeight() - 60;
        text(bold, 22, INK, MARGIN, y, "Audit report");
        y -= 22;
        text(regular, 11, MUTED, MARGIN, y, "Atrium control plane · tenant " + (export.tenantId() == null ? "platform" : export.tenantId()));
        y -= 30;
        line("Export", export.id().toString());
        line("Period", (export.from() == null ? "beginning of the trail" : TIME.format(export.from()))
                + "  to  " + (export.to() == null ? "time of export" : TIME.format(export.to())) + " UTC");
        line("Requested by", export.requestedBy());
        if (manifest.has("filters")) {
            line("Selection", manifest.get("filters").toString() + "  ·  " + manifest.path("eventCount").asText() + " of "
                    + manifest.path("eventsInRange").asText() + " events in the period");
        }
        line("Events", manifest.path("eventCount").asText() + "  (sequences " + manifest.path("firstSequence").asText("-")
                + " to " + manifest.path("lastSequence").asText("-") + ")");
        line("First / last hash", manifest.path("firstHash").asText("-") + "  /  " + manifest.path("lastHash").asText("-"));
        y -= 10;
        text(bold, 12, INK, MARGIN, y, "Verification statement");
        y -= 16;
        String statement;
        if (problem != null) {
            statement = "VERIFICATION FAILED: " + problem + ". Do not rely on this report.";
        } else if (manifest.has("filters")) {
            statement = "All " + verified + " selected events match their SHA-256 hashes, re-verified when this report was produced. "
                    + "This is a partial export: it shows the events that match the selection, so it does not prove the chain "
                    + "between them; the manifest's selection hash pins exactly this set. " + digests.size()
                    + " Ed25519-signed digests cover the period.";
        } else {
            statement = "All " + verified + " events form an unbroken SHA-256 hash chain, re-verified when this report was produced. "
                    + digests.size() + " Ed25519-signed digests cover them.";
        }
        for (String part : wrap(statement, 130)) {
            text(regular, 10, problem == null ? INK : Color.RED, MARGIN, y, part);
            y -= 13;
        }
        if (listed < events) {
            for (String part : wrap("The events table lists the first " + listed + " of " + events + " events. The complete "
                    + "list of this range, verifiable offline, is the JSON Lines export (the CSV export lists it too).", 130)) {
                text(bold, 10, ACCENT, MARGIN, y, part);
                y -= 13;
            }
        }
        for (String part : wrap("Signed by key " + manifest.path("keyId").asText() + " (public key at /api/v1/audit/public-keys). "
                + "To verify independently, request the JSON Lines export of the same range and run: java -jar atrium-audit-verify.jar "
                + "<export.jsonl> --public-key <key>.", 150)) {
            text(regular, 8, MUTED, MARGIN, y, part);
            y -= 11;
        }
        y -= 12;
        float top = y;
        table("By action", summary.byAction(), MARGIN, top);
        table("By outcome", summary.byOutcome(), MARGIN + 260, top);
        table("Top actors", summary.byActor(), MARGIN + 420, top);
        text(regular, 6, MUTED, MARGIN, 34, shorten("manifest signature " + manifest.path("signature").asText(), 200));
    }

    private void table(String title, Map<String, Long> counts, float x, float top) throws IOException {
        float row = top;
        text(bold, 10, INK, x, row, title);
        row -= 14;
        int shown = 0;
        for (Map.Entry<String, Long> entry : counts.entrySet()) {
            if (shown++ == 18) {
                text(regular, 8, MUTED, x, row, "... " + (counts.size() - 18) + " more");
                break;
            }
            text(regular, 8, INK, x, row, shorten(entry.getKey(), 38));
            text(bold, 8, INK, x + (title.equals("By outcome") ? 90 : 200), row, entry.getValue().toString());
            row -= 11;
        }
    }

    private void newTablePage() throws IOException {
        closePage();
        PDPage page = new PDPage(PAGE);
        document.addPage(page);
        content = new PDPageContentStream(document, page);
        y = PAGE.getHeight() - MARGIN;
        text(bold, 12, INK, MARGIN, y, "Events");
        y -= 18;
        fill(INK, MARGIN - 4, y - 3, PAGE.getWidth() - 2 * MARGIN + 8, ROW + 1);
        for (int i = 0; i < HEADINGS.length; i++) {
            text(bold, 7, Color.WHITE, COLUMNS[i], y, HEADINGS[i]);
        }
        y -= ROW + 2;
        rowsOnPage = 0;
    }

    private void closePage() throws IOException {
        if (content != null) {
            content.close();
            content = null;
        }
    }

    private void line(String label, String value) throws IOException {
        text(bold, 9, INK, MARGIN, y, label);
        text(regular, 9, INK, MARGIN + 110, y, shorten(value, 150));
        y -= 14;
    }

    private void text(PDType1Font font, float size, Color color, float x, float atY, String value) throws IOException {
        content.beginText();
        content.setFont(font, size);
        content.setNonStrokingColor(color);
        content.newLineAtOffset(x, atY);
        content.showText(printable(value));
        content.endText();
    }

    private void fill(Color color, float x, float atY, float width, float height) throws IOException {
        content.setNonStrokingColor(color);
        content.addRect(x, atY, width, height);
        content.fill();
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String word : text.split(" ")) {
            if (current.length() + word.length() + 1 > width) {
                lines.add(current.toString());
                current.setLength(0);
            }
            current.append(current.isEmpty() ? "" : " ").append(word);
        }
        if (!current.isEmpty()) {
            lines.add(current.toString());
        }
        return lines;
    }

    private static String shorten(String value, int max) {
        if (value == null) {
            return "";
        }
        return value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }

    /** The standard 14 fonts only encode WinAnsi; anything else is shown as '?'. */
    private static String printable(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            out.append(c == '…' || c == '·' || (c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xff) ? c : '?');
        }
        return out.toString();
    }
}
