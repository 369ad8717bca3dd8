package dev.atrium.controlplane.cost;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.atrium.contract.BatchReceipt;
import dev.atrium.contract.UsageBatch;
import dev.atrium.contract.UsageEvent;
import dev.atrium.controlplane.auth.ServiceBatchTenants;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.identity.Caller;
import dev.atrium.controlplane.tenant.Tenant;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;

/**
 * The usage ledger. Ingest is exactly-once per event id: a re-shipped batch inserts nothing new
 * ({@code ON CONFLICT DO NOTHING} on the primary key), so a data plane may retry until it sees an acknowledgement.
 */
@ApplicationScoped
public class UsageLedger {

    private static final Duration MAX_RANGE = Duration.ofDays(400);

    @Inject
    UsageRepository usage;

    @Inject
    AuditTrail auditTrail;

    @Inject
    ServiceBatchTenants batchTenants;

    @Inject
    CostConfig costs;

    @Transactional
    public BatchReceipt ingest(UsageBatch batch, Caller service) {
        batchTenants.check(service, batch.events().stream().map(UsageEvent::tenantId).toList());
        int accepted = usage.insertNew(batch.events(), service.region() == null ? "unknown" : service.region());
        BatchReceipt receipt = new BatchReceipt(accepted, batch.events().size() - accepted);
        auditTrail.record(AuditEntry.success("usage.ingest").resource("usage-batch", batch.events().getFirst().id())
                .actor(service).after(Map.of("events", batch.events().size(), "accepted", receipt.accepted(),
                        "duplicates", receipt.duplicates(), "region", String.valueOf(service.region()))));
        return receipt;
    }

    /** Rows one CSV export may hold: a longer range is exported in parts. */
    static final int MAX_CSV_ROWS = 100_000;

    /**
     * The tenant's cost ledger in {@code [from, to)} as CSV (RFC 4180), one line per recorded event with its cost; a text
     * a spreadsheet would run as a formula (starting with =, +, - or @) is prefixed with an apostrophe.
     */
    public String csv(UUID tenantId, Instant from, Instant to) {
        Tenant.require(tenantId);
        Instant end = to == null ? Instant.now() : to;
        Instant start = from == null ? end.minus(Duration.ofDays(30)) : from;
        if (!start.isBefore(end)) {
            throw ApiException.invalid("from", "must be before to");
        }
        List<UsageRepository.Priced> rows = usage.ledger(tenantId, start, end, MAX_CSV_ROWS + 1);
        if (rows.size() > MAX_CSV_ROWS) {
            throw new ApiException(dev.atrium.controlplane.common.ProblemType.UNPROCESSABLE, "from: the range holds more than "
                    + MAX_CSV_ROWS + " usage events; export it in parts", List.of(new dev.atrium.controlplane.common.FieldError("from",
                    "the range holds more than " + MAX_CSV_ROWS + " usage events")));
        }
        StringBuilder csv = new StringBuilder("event_id,occurred_at,region,operation,model,api_key_id,requests,input_tokens,"
                + "output_tokens,embedding_tokens,chunks_stored,gpu_seconds,cost,currency,price_book_id\r\n");
        for (UsageRepository.Priced row : rows) {
            var e = row.event();
            csv.append(e.id()).append(',').append(e.occurredAt()).append(',').append(cell(row.region())).append(',')
                    .append(cell(e.operation())).append(',').append(cell(e.model())).append(',')
                    .append(e.apiKeyId() == null ? "" : e.apiKeyId()).append(',').append(e.requests()).append(',')
                    .append(e.inputTokens()).append(',').append(e.outputTokens()).append(',').append(e.embeddingTokens()).append(',')
                    .append(e.chunksStored()).append(',').append(e.gpuSeconds()).append(',')
                    .append(row.cost() == null ? "" : Money.plain(row.cost()).toPlainString()).append(',')
                    .append(row.cost() == null ? "" : costs.currency()).append(',')
                    .append(row.priceBookId() == null ? "" : row.priceBookId()).append("\r\n");
        }
        return csv.toString();
    }

    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        String text = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        boolean quote = text.startsWith("'") || text.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n');
        return quote ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }

    public UsageReport report(UUID tenantId, Instant from, Instant to) {
        Tenant.require(tenantId);
        Instant end = to == null ? Instant.now() : to;
        Instant start = from == null ? end.minus(Duration.ofDays(30)) : from;
        if (!start.isBefore(end)) {
            throw ApiException.invalid("from", "must be before to");
        }
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw ApiException.invalid("from", "the range may span at most " + MAX_RANGE.toDays() + " days");
        }
        List<UsageTotals> byDay = usage.totals(tenantId, start, end, UsageRepository.Grouping.DAY);
        List<UsageTotals> byModel = usage.totals(tenantId, start, end, UsageRepository.Grouping.MODEL);
        List<UsageTotals> byKey = usage.totals(tenantId, start, end, UsageRepository.Grouping.API_KEY);
        UsageTotals totals = byDay.stream().reduce(new UsageTotals("total", 0, 0, 0, 0, 0, 0, java.math.BigDecimal.ZERO, 0), (a, b) ->
                new UsageTotals("total", a.requests() + b.requests(), a.inputTokens() + b.inputTokens(),
                        a.outputTokens() + b.outputTokens(), a.embeddingTokens() + b.embeddingTokens(),
                        a.chunksStored() + b.chunksStored(), a.gpuSeconds() + b.gpuSeconds(), a.cost().add(b.cost()),
                        a.unpricedEvents() + b.unpricedEvents()));
        return new UsageReport(tenantId, start, end, costs.currency(), totals, byDay, byModel, byKey);
    }
}
