package dev.atrium.controlplane.audit.export;

import java.io.IOException;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.atrium.controlplane.audit.digest.AuditSigningKeys;
import dev.atrium.controlplane.audit.digest.DigestView;
import dev.atrium.controlplane.trail.AuditRecord;

/** Writes one export format, record by record, without holding the export in memory. */
interface ExportWriter {

    void header(ExportView export, long firstSequence, long lastSequence) throws IOException;

    void publicKey(AuditSigningKeys.PublicSigningKey key) throws IOException;

    void digest(DigestView digest) throws IOException;

    void event(AuditRecord event) throws IOException;

    void manifest(ObjectNode manifest) throws IOException;
}
