package dev.atrium.dataplane.rag;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DeflaterOutputStream;

/**
 * Small PDF files built to be expensive to parse, written object by object (with a correct cross-reference table)
 * so that each carries exactly one trick: a page tree that declares a huge number of pages, one that holds more pages
 * than it declares, a compressed content stream that inflates to hundreds of megabytes, a content stream nested
 * deeper than any parser's stack, and a page whose content stream is millions of operators long.
 */
final class PdfBombs {

    private PdfBombs() {
    }

    /** {@code pages} real pages, in a page tree that says it has {@code declaredPages}. */
    static byte[] pageTree(int pages, long declaredPages) {
        RawPdf pdf = new RawPdf();
        pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
        StringBuilder kids = new StringBuilder();
        for (int i = 0; i < pages; i++) {
            kids.append(4 + i).append(" 0 R ");
        }
        pdf.add("<< /Type /Pages /Kids [" + kids + "] /Count " + declaredPages + " >>");
        pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        int firstContent = 4 + pages;
        for (int i = 0; i < pages; i++) {
            pdf.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents " + (firstContent + i)
                    + " 0 R /Resources << /Font << /F1 3 0 R >> >> >>");
        }
        for (int i = 0; i < pages; i++) {
            pdf.addStream("", ("BT /F1 12 Tf 72 700 Td (page " + (i + 1) + ") Tj ET").getBytes(StandardCharsets.US_ASCII));
        }
        return pdf.bytes();
    }

    /** One page whose content stream is {@code inflatedBytes} of blanks, deflated to a few hundred kilobytes. */
    static byte[] decompression(long inflatedBytes) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed)) {
            byte[] blanks = new byte[1 << 20];
            java.util.Arrays.fill(blanks, (byte) ' ');
            for (long written = 0; written < inflatedBytes; written += blanks.length) {
                deflate.write(blanks);
            }
        }
        return onePage("/Filter /FlateDecode", compressed.toByteArray());
    }

    /** One page whose content stream opens {@code depth} arrays inside each other. */
    static byte[] nested(int depth) {
        return onePage("", ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.US_ASCII));
    }

    /** One page whose (deflated) content stream is {@code operators} cheap operators: slow to run, small to send. */
    static byte[] manyOperators(int operators) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed)) {
            byte[] endPath = "n\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < operators; i++) {
                deflate.write(endPath);
            }
        }
        return onePage("/Filter /FlateDecode", compressed.toByteArray());
    }

    private static byte[] onePage(String streamFilter, byte[] content) {
        RawPdf pdf = new RawPdf();
        pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
        pdf.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        pdf.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>");
        pdf.addStream(streamFilter, content);
        return pdf.bytes();
    }

    /** Objects numbered from 1 in the order added; the first is the catalog. */
    private static final class RawPdf {
        private final List<byte[]> objects = new ArrayList<>();

        void add(String dictionary) {
            objects.add(dictionary.getBytes(StandardCharsets.US_ASCII));
        }

        void addStream(String filter, byte[] data) {
            ByteArrayOutputStream object = new ByteArrayOutputStream();
            object.writeBytes(("<< /Length " + data.length + " " + filter + " >>\nstream\n").getBytes(StandardCharsets.US_ASCII));
            object.writeBytes(data);
            object.writeBytes("\nendstream".getBytes(StandardCharsets.US_ASCII));
            objects.add(object.toByteArray());
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes("%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII));
            long[] offsets = new long[objects.size()];
            for (int i = 0; i < objects.size(); i++) {
                offsets[i] = out.size();
                out.writeBytes(((i + 1) + " 0 obj\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(objects.get(i));
                out.writeBytes("\nendobj\n".getBytes(StandardCharsets.US_ASCII));
            }
            long xref = out.size();
            StringBuilder table = new StringBuilder("xref\n0 " + (objects.size() + 1) + "\n0000000000 65535 f \n");
            for (long offset : offsets) {
                table.append(String.format("%010d 00000 n \n", offset));
            }
            table.append("trailer\n<< /Size ").append(objects.size() + 1).append(" /Root 1 0 R >>\nstartxref\n").append(xref).append("\n%%EOF\n");
            out.writeBytes(table.toString().getBytes(StandardCharsets.US_ASCII));
            return out.toByteArray();
        }
    }
}
