package dev.atrium.controlplane.model;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import dev.atrium.compliance.modelcard.ModelCard;

/** A model card as an A4 PDF for reviewers and auditors: title and status, then the card's sections in order. */
final class ModelCardPdf {

    private static final float MARGIN = 56;
    private static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;
    private static final Color INK = new Color(0x1f, 0x29, 0x37);
    private static final Color MUTED = new Color(0x6b, 0x72, 0x80);
    private static final Color ACCENT = new Color(0x1d, 0x4e, 0xd8);
    private static final Color BAND = new Color(0xf3, 0xf4, 0xf6);

    private final PDDocument document = new PDDocument();
    private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private PDPageContentStream content;
    private float y;

    private ModelCardPdf() {
    }

    static byte[] render(ModelViews.Version version) {
        try {
            return new ModelCardPdf().write(version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] write(ModelViews.Version version) throws IOException {
        newPage();
        text(bold, 20, INK, "Model card: " + version.model() + " " + version.version());
        y -= 6;
        float band = version.reviewComment() == null ? 46 : 74;
        fill(BAND, MARGIN - 6, y - band + 6, WIDTH + 12, band);
        text(bold, 11, ACCENT, "Status: " + version.status());
        paragraph("Artifact: " + version.artifactUri() + (version.servingRuntime() == null ? "" : "   Runtime: " + version.servingRuntime())
                + (version.hardware() == null || version.hardware().gpuCount() == null || version.hardware().gpuCount() == 0 ? "   CPU"
                : "   GPU: " + version.hardware().gpuCount() + " x " + version.hardware().gpuType()), MUTED);
        if (version.reviewComment() != null) {
            paragraph("Review: \"" + version.reviewComment() + "\" by " + version.reviewedBy() + " at " + version.reviewedAt(), MUTED);
        }
        ModelCard card = version.card();
        heading("Model details");
        if (card.details() != null) {
            paragraph(card.details().description(), INK);
            if (card.details().owners() != null) {
                for (ModelCard.Owner owner : card.details().owners()) {
                    bullet("Owner: " + owner.name() + " (" + owner.contact() + ")");
                }
            }
            bullet("License: " + card.details().license());
            list("Reference", card.details().references());
        }
        heading("Intended use");
        if (card.intendedUse() != null) {
            list("Use", card.intendedUse().primaryUses());
            list("User", card.intendedUse().primaryUsers());
            list("Out of scope", card.intendedUse().outOfScopeUses());
        }
        heading("Training data");
        if (card.trainingData() != null) {
            if (card.trainingData().datasets() != null) {
                for (ModelCard.Dataset dataset : card.trainingData().datasets()) {
                    bullet(dataset.name() + (dataset.description() == null ? "" : ": " + dataset.description()));
                }
            }
            paragraph(card.trainingData().preprocessing(), INK);
        }
        heading("Evaluation results");
        if (card.evaluationResults() != null) {
            for (ModelCard.EvaluationResult result : card.evaluationResults()) {
                bullet(String.format(Locale.ROOT, "%s = %.4f on %s (%s)%s", result.metric(), result.value(), result.dataset(),
                        result.split() == null ? "-" : result.split(), result.source() == null ? "" : ", " + result.source()));
            }
        }
        heading("Limitations");
        list(null, card.limitations());
        heading("Ethical considerations");
        if (card.ethicalConsiderations() != null) {
            for (ModelCard.EthicalConsideration consideration : card.ethicalConsiderations()) {
                bullet("Risk: " + consideration.risk() + ". Mitigation: " + consideration.mitigation());
            }
        }
        if (card.environmentalImpact() != null) {
            heading("Environmental impact");
            ModelCard.EnvironmentalImpact impact = card.environmentalImpact();
            bullet("Hardware: " + impact.hardwareType() + ", hours: " + impact.hoursUsed() + ", provider: " + impact.cloudProvider()
                    + ", region: " + impact.computeRegion() + ", kg CO2eq: " + impact.carbonEmittedKgCo2eq());
        }
        content.close();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            document.save(out);
            document.close();
            return out.toByteArray();
        }
    }

    private void heading(String title) throws IOException {
        y -= 10;
        room(40);
        text(bold, 13, ACCENT, title);
    }

    private void list(String label, List<String> values) throws IOException {
        if (values != null) {
            for (String value : values) {
                bullet(label == null ? value : label + ": " + value);
            }
        }
    }

    private void bullet(String value) throws IOException {
        List<String> lines = wrap(value, regular, 10, WIDTH - 14);
        for (int i = 0; i < lines.size(); i++) {
            room(14);
            if (i == 0) {
                text(regular, 10, INK, MARGIN, "-");
            }
            text(regular, 10, INK, MARGIN + 14, lines.get(i));
            y -= 14;
        }
    }

    private void paragraph(String value, Color color) throws IOException {
        if (value == null || value.isBlank()) {
            return;
        }
        for (String line : wrap(value, regular, 10, WIDTH)) {
            room(14);
            text(regular, 10, color, MARGIN, line);
            y -= 14;
        }
    }

    private void text(PDType1Font font, float size, Color color, String value) throws IOException {
        room(size + 8);
        text(font, size, color, MARGIN, value);
        y -= size + 8;
    }

    private void text(PDType1Font font, float size, Color color, float x, String value) throws IOException {
        content.beginText();
        content.setFont(font, size);
        content.setNonStrokingColor(color);
        content.newLineAtOffset(x, y);
        content.showText(printable(value));
        content.endText();
    }

    private void fill(Color color, float x, float atY, float width, float height) throws IOException {
        content.setNonStrokingColor(color);
        content.addRect(x, atY, width, height);
        content.fill();
    }

    private void room(float needed) throws IOException {
        if (y - needed < MARGIN) {
            content.close();
            newPage();
        }
    }

    private void newPage() throws IOException {
        PDPage page = new PDPage(PDRectangle.A4);
        document.addPage(page);
        content = new PDPageContentStream(document, page);
        y = PDRectangle.A4.getHeight() - MARGIN;
    }

    private static List<String> wrap(String text, PDType1Font font, float size, float width) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String word : printable(text).split(" ")) {
            String candidate = current.isEmpty() ? word : current + " " + word;
            if (!current.isEmpty() && font.getStringWidth(candidate) / 1000 * size > width) {
                lines.add(current.toString());
                current.setLength(0);
                current.append(word);
            } else {
                current.setLength(0);
                current.append(candidate);
            }
        }
        if (!current.isEmpty()) {
            lines.add(current.toString());
        }
        return lines;
    }

    /** Helvetica (WinAnsi) cannot show every character; anything else becomes '?' rather than failing the export. */
    private static String printable(String value) {
        StringBuilder out = new StringBuilder(value == null ? 0 : value.length());
        for (char c : String.valueOf(value).toCharArray()) {
            out.append((c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xff) ? c : c == '\n' || c == '\t' ? ' ' : '?');
        }
        return out.toString();
    }
}
