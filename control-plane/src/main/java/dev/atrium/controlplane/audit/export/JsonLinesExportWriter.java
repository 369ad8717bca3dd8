package dev.atrium.controlplane.audit.export;

import java.io.IOException;
import java.io.Writer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.atrium.compliance.export.ExportFilter;
import dev.atrium.compliance.export.ExportRecords;
import dev.atrium.controlplane.audit.digest.AuditSigningKeys;
import dev.atrium.controlplane.audit.digest.DigestView;
import dev.atrium.controlplane.trail.AuditRecord;

/** The verifiable format ({@link ExportRecords}): every event with exactly the content its hash covers. */
class JsonLinesExportWriter implements ExportWriter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Writer out;

    JsonLinesExportWriter(Writer out) {
        this.out = out;
    }

    @Override
    public void header(ExportView export, long firstSequence, long lastSequence) throws IOException {
        ObjectNode header = JSON.createObjectNode().put("record", ExportRecords.HEADER).put("formatVersion", ExportRecords.FORMAT_VERSION)
                .put("exportId", export.id().toString()).put("chainId", export.chainId())
                .put("tenantId", export.tenantId() == null ? null : export.tenantId().toString())
                .put("from", export.from() == null ? null : export.from().toString())
                .put("to", export.to() == null ? null : export.to().toString());
        ExportFilter filter = AuditExports.filterOf(export);
        if (!filter.isEmpty()) {
            header.set("filters", filter.toJson());
        }
        line(header);
    }

    @Override
    public void publicKey(AuditSigningKeys.PublicSigningKey key) throws IOException {
        line(JSON.createObjectNode().put("record", ExportRecords.PUBLIC_KEY).put("keyId", key.keyId())
                .put("algorithm", key.algorithm()).put("publicKey", key.publicKey())
                .put("validFrom", key.validFrom().toString()).put("validTo", key.validTo() == null ? null : key.validTo().toString()));
    }

    @Override
    public void digest(DigestView digest) throws IOException {
        ObjectNode node = JSON.createObjectNode().put("record", ExportRecords.DIGEST);
        node.setAll(digest.toSigned().digest().content());
        node.put("signature", digest.signature());
        line(node);
    }

    @Override
    public void event(AuditRecord event) throws IOException {
        ObjectNode node = JSON.createObjectNode().put("record", ExportRecords.EVENT);
        node.setAll(event.content());
        node.put("prevHash", event.prevHash()).put("hash", event.hash());
        line(node);
    }

    @Override
    public void manifest(ObjectNode manifest) throws IOException {
        line(manifest);
    }

    private void line(ObjectNode node) throws IOException {
        out.write(JSON.writeValueAsString(node));
        out.write('\n');
    }
}
