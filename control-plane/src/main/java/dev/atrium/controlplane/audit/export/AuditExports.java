package dev.atrium.controlplane.audit.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

import dev.atrium.compliance.digest.DigestSigning;
import dev.atrium.compliance.export.ExportFilter;
import dev.atrium.compliance.export.ExportRecords;
import dev.atrium.controlplane.audit.AuditRepository;
import dev.atrium.controlplane.audit.digest.AuditDigests;
import dev.atrium.controlplane.audit.digest.AuditSigningKeys;
import dev.atrium.controlplane.audit.digest.DigestView;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.AtriumConfig;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.identity.CallerContext;
import dev.atrium.controlplane.identity.TenantScope;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditRecord;
import dev.atrium.controlplane.trail.AuditTrail;

/**
 * Audit report exports as background jobs. An export holds the contiguous stretch of a chain that falls in the
 * requested time range, the digests that cover it, the public keys, and a manifest signed with the audit signing
 * key, so {@code atrium-audit-verify.jar} can prove it offline. Events are streamed from a database cursor to the
 * file, so memory does not grow with the export.
 */
@ApplicationScoped
public class AuditExports {

    private static final Logger LOG = Logger.getLogger(AuditExports.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PROGRESS_EVERY = 1000;

    @Inject
    ExportRepository exports;

    @Inject
    AuditRepository repository;

    @Inject
    AuditDigests digests;

    @Inject
    AuditSigningKeys signingKeys;

    @Inject
    AuditTrail auditTrail;

    @Inject
    CallerContext callerContext;

    @Inject
    AtriumConfig config;

    @Inject
    jakarta.enterprise.event.Event<Requested> started;

    private final ExecutorService executor = Executors.newSingleThreadExecutor(Thread.ofPlatform()
            .name("audit-export").daemon().factory());

    /** Fired when an export was requested; the job starts after the request's transaction committed. */
    public record Requested(UUID exportId) {
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    @Transactional
    public ExportView request(UUID tenantId, Instant from, Instant to, String format, ExportFilter filter) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.invalid("from", "must be before 'to'");
        }
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        exports.insert(id, AuditRecord.chainOf(tenantId), tenantId, callerContext.require().actorId(), from, to, format, now,
                filter);
        auditTrail.record(AuditEntry.success("audit.export.create").tenant(tenantId).resource("audit-export", id)
                .after(Map.of("format", format, "from", String.valueOf(from), "to", String.valueOf(to),
                        "filters", filter.toJson().toString())));
        started.fire(new Requested(id));
        return get(id);
    }

    void onRequested(@Observes(during = TransactionPhase.AFTER_SUCCESS) Requested requested) {
        executor.execute(() -> run(requested.exportId()));
    }

    public ExportView get(UUID id) {
        return exports.find(id).orElseThrow(() -> ApiException.notFound("audit export", id));
    }

    /** The newest exports of one chain (a tenant's, or the platform's), at most {@code limit}. */
    public List<ExportView> list(String chainId, int limit) {
        return exports.list(chainId, limit);
    }

    static ExportFilter filterOf(ExportView export) {
        Map<String, String> f = export.filters() == null ? Map.of() : export.filters();
        return new ExportFilter(f.get("actor"), f.get("action"), f.get("outcome"), f.get("resource"));
    }

    /** The finished file; the download is audited. */
    @Transactional
    public Path content(UUID id) {
        ExportView export = get(id);
        if (!"DONE".equals(export.status())) {
            throw new ApiException(ProblemType.CONFLICT, "export " + id + " is " + export.status() + "; download it when it is DONE");
        }
        auditTrail.record(AuditEntry.success("audit.export.download").tenant(export.tenantId()).resource("audit-export", id));
        return file(id, export.format());
    }

    void run(UUID id) {
        try {
            TenantScope.asPlatform(() -> {
                export(id);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "audit export %s failed", id);
            TenantScope.asPlatform(() -> {
                QuarkusTransaction.requiringNew().run(() -> exports.markFailed(id, "export failed; see the server log", Instant.now()));
                return null;
            });
        }
    }

    private void export(UUID id) {
        ExportView export = QuarkusTransaction.requiringNew().call(() -> get(id));
        ExportRepository.SequenceRange range = QuarkusTransaction.requiringNew().call(() ->
                exports.sequenceRange(export.chainId(), export.from(), export.to()));
        long first = range.first();
        long last = range.last();
        long total = Math.max(0, last - first + 1);
        QuarkusTransaction.requiringNew().run(() -> exports.markRunning(id, total));

        List<DigestView> covering = QuarkusTransaction.requiringNew().call(() -> digests.list(export.tenantId(),
                export.tenantId() == null, null, null)).stream()
                .filter(d -> d.lastSequence() >= first && d.firstSequence() <= last).toList();
        AuditSigningKeys.CurrentKey signingKey = signingKeys.current();
        List<AuditSigningKeys.PublicSigningKey> keys = QuarkusTransaction.requiringNew().call(signingKeys::publicKeys);
        Set<String> neededKeys = new HashSet<>();
        covering.forEach(d -> neededKeys.add(d.keyId()));
        neededKeys.add(signingKey.keyId());

        long[] writtenTotal = new long[1];
        Path file = file(id, export.format());
        ExportFilter filter = filterOf(export);
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream stream = Files.newOutputStream(file);
                 BufferedWriter out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8))) {
                ExportWriter writer = switch (export.format()) {
                    case "csv" -> new CsvExportWriter(out);
                    case "pdf" -> new PdfExportWriter(stream, config.audit().export().pdfMaxListedEvents());
                    default -> new JsonLinesExportWriter(out);
                };
                writer.header(export, first, last);
                for (AuditSigningKeys.PublicSigningKey key : keys) {
                    if (neededKeys.contains(key.keyId())) {
                        writer.publicKey(key);
                    }
                }
                for (DigestView digest : covering) {
                    writer.digest(digest);
                }
                String[] hashes = new String[3];
                hashes[2] = "";
                long written = total == 0 ? 0 : QuarkusTransaction.requiringNew().call(() -> repository.streamRange(
                        export.chainId(), first, last, events -> writeEvents(id, events, writer, filter, hashes)));
                ObjectNode manifest = JSON.createObjectNode()
                        .put("record", ExportRecords.MANIFEST)
                        .put("exportId", id.toString())
                        .put("chainId", export.chainId())
                        .put("tenantId", export.tenantId() == null ? null : export.tenantId().toString())
                        .put("from", export.from() == null ? null : export.from().toString())
                        .put("to", export.to() == null ? null : export.to().toString())
                        .put("eventCount", written)
                        .put("firstSequence", total == 0 ? null : first)
                        .put("lastSequence", total == 0 ? null : last)
                        .put("firstHash", hashes[0])
                        .put("lastHash", hashes[1])
                        .put("digestCount", covering.size())
                        .put("requestedBy", export.requestedBy())
                        .put("createdAt", Instant.now().toString())
                        .put("keyId", signingKey.keyId());
                if (!filter.isEmpty()) {
                    manifest.set("filters", filter.toJson());
                    manifest.put("selectionHash", hashes[2]);
                    manifest.put("eventsInRange", total);
                }
                manifest.put("signature", sign(ExportRecords.manifestSigningBytes(manifest), signingKey));
                writer.manifest(manifest);
                writtenTotal[0] = written;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        QuarkusTransaction.requiringNew().run(() -> exports.markDone(id, total, writtenTotal[0], Instant.now()));
    }

    /** Writes the selected events; {@code hashes} collects the first and last hash and the running selection hash. */
    private long writeEvents(UUID id, Iterator<AuditRecord> events, ExportWriter writer, ExportFilter filter, String[] hashes) {
        long written = 0;
        long scanned = 0;
        try {
            while (events.hasNext()) {
                AuditRecord event = events.next();
                scanned++;
                if (filter.isEmpty() || filter.matches(event.content())) {
                    writer.event(event);
                    if (hashes[0] == null) {
                        hashes[0] = event.hash();
                    }
                    hashes[1] = event.hash();
                    if (!filter.isEmpty()) {
                        hashes[2] = ExportFilter.nextSelectionHash(hashes[2], event.hash());
                    }
                    written++;
                }
                if (scanned % PROGRESS_EVERY == 0) {
                    long progressScanned = scanned;
                    long progressWritten = written;
                    QuarkusTransaction.requiringNew().run(() -> exports.recordProgress(id, progressScanned, progressWritten));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return written;
    }

    private Path file(UUID id, String format) {
        return Path.of(config.dataDir(), "exports", id + "." + format);
    }

    private static String sign(byte[] content, AuditSigningKeys.CurrentKey key) {
        try {
            Signature signature = Signature.getInstance(DigestSigning.ALGORITHM);
            signature.initSign(key.privateKey());
            signature.update(content);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
