package dev.atrium.controlplane.cost;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.FieldError;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.identity.CallerContext;
import dev.atrium.controlplane.region.RegionService;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;

/**
 * The platform's price book: versions are added (never changed), each audited in the platform chain
 * ({@code price-book.create}); repricing a past period recomputes its recorded costs with the versions stored now,
 * keeps every old figure in {@code usage_cost_revision} and is audited too ({@code usage.reprice}).
 */
@ApplicationScoped
public class PriceBookService {

    /** How soon a new version may take effect: every control plane instance holds it by then ({@link PriceBooks}). */
    static final Duration LEAD_TIME = Duration.ofMinutes(1);
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");
    /** Events one repricing may touch (it runs in one transaction): a larger period is repriced in parts. */
    static final int MAX_REPRICED = 20_000;

    @Inject
    PriceBookRepository repository;

    @Inject
    UsageRepository usage;

    @Inject
    RegionService regions;

    @Inject
    CostConfig config;

    @Inject
    CallerContext callerContext;

    @Inject
    AuditTrail auditTrail;

    @Inject
    Event<PriceBookChanged> changed;

    public List<PriceBook> list() {
        return repository.all();
    }

    public PriceBook get(String id) {
        return repository.all().stream().filter(book -> book.id().toString().equals(id)).findFirst()
                .orElseThrow(() -> ApiException.notFound("price book version", id));
    }

    @Transactional
    public PriceBook create(PriceRequests.CreatePriceBook request) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (!request.currency().equals(config.currency())) {
            throw unprocessable("currency", "the platform prices in " + config.currency() + " (atrium.cost.currency); every "
                    + "version uses it, so that costs add up");
        }
        if (request.region() != null) {
            regions.get(request.region()); // 404 for a region that does not exist
        }
        if (request.effectiveFrom().isBefore(EARLIEST) || request.effectiveFrom().isAfter(LATEST)) {
            throw unprocessable("effectiveFrom", "must be between " + EARLIEST + " and " + LATEST);
        }
        boolean backdated = Boolean.TRUE.equals(request.backdated());
        if (!backdated && request.effectiveFrom().isBefore(now.plus(LEAD_TIME))) {
            throw unprocessable("effectiveFrom", "must be at least " + LEAD_TIME.toMinutes() + " minute from now; a version in force "
                    + "in the past is a correction: set backdated, then reprice the period (POST /api/v1/platform/prices:reprice)");
        }
        if (backdated && !request.effectiveFrom().isBefore(now)) {
            throw unprocessable("backdated", "only a version taking effect in the past is backdated");
        }
        Set<String> keys = new HashSet<>();
        for (PriceRequests.PriceItem item : request.prices()) {
            Meter meter = Meter.fromValue(item.meter()).orElseThrow();
            if (item.gpuType() != null && meter != Meter.GPU_SECONDS) {
                throw unprocessable("prices.gpuType", "only gpu-seconds are priced per GPU type");
            }
            if (item.model() != null && (meter == Meter.GPU_SECONDS || meter == Meter.RAG_STORAGE)) {
                throw unprocessable("prices.model", meter.value() + " is not priced per model");
            }
            if (!keys.add(meter.value() + "|" + item.model() + "|" + item.gpuType())) {
                throw unprocessable("prices", "two prices for " + meter.value() + (item.model() == null ? "" : " of " + item.model())
                        + (item.gpuType() == null ? "" : " on " + item.gpuType()));
            }
        }
        PriceBook book = new PriceBook(UUID.randomUUID(), request.region(), request.currency(),
                request.effectiveFrom().truncatedTo(ChronoUnit.MICROS), request.note(), now, callerContext.require().actorId(),
                request.prices().stream().map(p -> new PriceBook.Price(p.meter(), p.model(), p.gpuType(),
                        Money.plain(p.unitPrice()))).toList());
        if (!repository.insert(book)) {
            throw new ApiException(ProblemType.CONFLICT, "a version for " + (book.region() == null ? "every region" : "region "
                    + book.region()) + " already takes effect at " + book.effectiveFrom());
        }
        auditTrail.record(AuditEntry.success("price-book.create").resource("price-book", book.id()).after(book));
        changed.fire(new PriceBookChanged());
        return book;
    }

    /** What a repricing did: how many events, and the period's cost before and after. */
    public record Repricing(UUID id, Instant from, Instant to, String region, int events, BigDecimal costBefore, BigDecimal costAfter,
                            String currency) {
    }

    @Transactional
    public Repricing reprice(PriceRequests.Reprice request) {
        if (!request.from().isBefore(request.to())) {
            throw unprocessable("from", "must be before to");
        }
        if (request.region() != null) {
            regions.get(request.region());
        }
        // one repricing at a time (each records the figures the one before left), with the versions as stored now
        usage.lockRepricing();
        List<PriceBook> stored = repository.all();
        List<UsageRepository.Priced> events = usage.forRepricing(request.from(), request.to(), request.region(), MAX_REPRICED + 1);
        if (events.size() > MAX_REPRICED) {
            throw unprocessable("to", "the period holds more than " + MAX_REPRICED + " usage events; reprice it in parts");
        }
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        BigDecimal before = BigDecimal.ZERO;
        BigDecimal after = BigDecimal.ZERO;
        for (UsageRepository.Priced event : events) {
            var book = PriceBooks.inForce(stored, event.region(), event.event().occurredAt());
            BigDecimal cost = book.map(b -> PriceBooks.cost(event.event(), b)).orElse(null);
            UUID bookId = book.map(PriceBook::id).orElse(null);
            before = before.add(event.cost() == null ? BigDecimal.ZERO : event.cost());
            after = after.add(cost == null ? BigDecimal.ZERO : cost);
            usage.reprice(id, event, cost, bookId, now);
        }
        Repricing repricing = new Repricing(id, request.from(), request.to(), request.region(), events.size(),
                Money.plain(before), Money.plain(after), config.currency());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("repricing", repricing);
        detail.put("reason", request.reason());
        auditTrail.record(AuditEntry.success("usage.reprice").resource("repricing", id).after(detail));
        return repricing;
    }

    private static ApiException unprocessable(String field, String message) {
        return new ApiException(ProblemType.UNPROCESSABLE, field + ": " + message, List.of(new FieldError(field, message)));
    }
}
