package dev.atrium.controlplane.audit.export;

import java.io.IOException;
import java.io.Writer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.atrium.controlplane.audit.digest.AuditSigningKeys;
import dev.atrium.controlplane.audit.digest.DigestView;
import dev.atrium.controlplane.trail.AuditRecord;

/**
 * RFC 4180 CSV for spreadsheets: one row per event with its hashes; the manifest (counts, first and last hash,
 * signature) closes the file as '#' comment lines. Offline verification uses the JSON Lines export.
 */
class CsvExportWriter implements ExportWriter {

    private final Writer out;

    CsvExportWriter(Writer out) {
        this.out = out;
    }

    @Override
    public void header(ExportView export, long firstSequence, long lastSequence) throws IOException {
        row("id", "sequence", "occurredAt", "tenantId", "actorId", "actorType", "action", "resourceType", "resourceId",
                "outcome", "detail", "requestId", "sourceIp", "userAgent", "before", "after", "prevHash", "hash");
    }

    @Override
    public void publicKey(AuditSigningKeys.PublicSigningKey key) {
    }

    @Override
    public void digest(DigestView digest) {
    }

    @Override
    public void event(AuditRecord e) throws IOException {
        row(e.id().toString(), Long.toString(e.sequence()), e.occurredAt().toString(),
                e.tenantId() == null ? "" : e.tenantId().toString(), e.actorId(), e.actorType(), e.action(),
                e.resourceType(), e.resourceId(), e.outcome().name(), e.detail(), e.requestId(), e.sourceIp(),
                e.userAgent(), e.before() == null ? "" : e.before().toString(), e.after() == null ? "" : e.after().toString(),
                e.prevHash(), e.hash());
    }

    @Override
    public void manifest(ObjectNode manifest) throws IOException {
        for (var field : manifest.properties()) {
            out.write("# " + field.getKey() + ": " + (field.getValue().isValueNode() ? field.getValue().asText() : field.getValue().toString()) + "\r\n");
        }
    }

    private void row(String... cells) throws IOException {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            String cell = cells[i] == null ? "" : cells[i];
            if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
                cell = '"' + cell.replace("\"", "\"\"") + '"';
            }
            out.write(cell);
        }
        out.write("\r\n");
    }
}
