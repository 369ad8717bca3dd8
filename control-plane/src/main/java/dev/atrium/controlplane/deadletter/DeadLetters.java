package dev.atrium.controlplane.deadletter;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.atrium.contract.BatchReceipt;
import dev.atrium.contract.DeadLetterReport;
import dev.atrium.controlplane.auth.ServiceCoverage;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.Cursor;
import dev.atrium.controlplane.common.Page;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.identity.Caller;
import dev.atrium.controlplane.identity.ServiceBinding;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;

/**
 * Outbox events that data planes parked because the control plane refused them for good. Recorded once per event id
 * (a report shipped twice adds nothing), with the reporting service and its region, and listed for platform admins
 * newest first. Each report is audited in the platform chain.
 */
@ApplicationScoped
public class DeadLetters {

    @Inject
    DeadLetterRepository deadLetters;

    @Inject
    AuditTrail auditTrail;

    @Inject
    ServiceCoverage coverage;

    @Transactional
    public BatchReceipt record(DeadLetterReport report, Caller service) {
        // checked here rather than against live tenants: a dead letter may name a tenant deleted since
        ServiceBinding binding = service.service();
        if (binding == null || report.deadLetters().stream().anyMatch(letter -> !coverage.mayReportParkedFor(binding, letter.tenantId()))) {
            throw new ApiException(ProblemType.FORBIDDEN, "this service key may only report dead letters of "
                    + (binding == null ? "its tenants" : binding.describe()));
        }
        String region = service.region() == null ? "unknown" : service.region();
        int accepted = deadLetters.insertNew(report.deadLetters(), region, service.actorId());
        BatchReceipt receipt = new BatchReceipt(accepted, report.deadLetters().size() - accepted);
        auditTrail.record(AuditEntry.success("dead-letter.report").resource("dead-letter-report", report.deadLetters().getFirst().eventId())
                .actor(service).after(Map.of("deadLetters", report.deadLetters().size(), "accepted", receipt.accepted(),
                        "duplicates", receipt.duplicates(), "region", region)));
        return receipt;
    }

    /** Newest first, optionally of one region and one stream; keyset pagination by parking time and event id. */
    public Page<DeadLetterView> list(String region, String stream, Integer limit, String cursor) {
        if (stream != null && !stream.equals("usage") && !stream.equals("audit")) {
            throw ApiException.invalid("stream", "must be usage or audit");
        }
        int size = Cursor.limit(limit);
        Cursor before = Cursor.decode(cursor);
        List<DeadLetterView> letters = deadLetters.page(region, stream, before, size + 1);
        if (letters.size() <= size) {
            return new Page<>(letters, null);
        }
        List<DeadLetterView> page = letters.subList(0, size);
        return new Page<>(List.copyOf(page), new Cursor(page.getLast().parkedAt(), page.getLast().eventId()).encode());
    }
}
