package dev.atrium.controlplane.cost;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.atrium.contract.UsageEvent;
import dev.atrium.controlplane.identity.TenantScope;

/**
 * The price in force for a usage event, and what the event cost. The version in force at an instant, for a region, is
 * the newest of that region's versions taking effect at or before it; only where the region has none in force yet, the
 * newest of the all-region versions. Versions are held in memory (they change rarely and are needed for every recorded
 * event), read again after a change here and at least every 30 s; a version takes effect at the earliest a minute after
 * it is stored, so every control plane instance holds it before then.
 */
@ApplicationScoped
public class PriceBooks {

    /** Costs are kept to 12 decimal places (a fraction of a cent per token adds up exactly). */
    static final int SCALE = 12;

    @Inject
    PriceBookRepository repository;

    /** How long versions are held before they are read again (another control plane instance may have added one). */
    static final java.time.Duration HELD = java.time.Duration.ofSeconds(30);

    private record Held(List<PriceBook> books, Instant readAt) {
    }

    private final AtomicReference<Held> held = new AtomicReference<>();

    public List<PriceBook> all() {
        Held current = held.get();
        if (current == null || current.readAt().plus(HELD).isBefore(Instant.now())) {
            current = new Held(TenantScope.asPlatform(() -> QuarkusTransaction.joiningExisting().call(repository::all)), Instant.now());
            held.set(current);
        }
        return current.books();
    }

    /** A version was stored (and committed): read them again on next use. */
    void onChanged(@jakarta.enterprise.event.Observes(during = jakarta.enterprise.event.TransactionPhase.AFTER_SUCCESS)
                   PriceBookChanged changed) {
        held.set(null);
    }

    public Optional<PriceBook> inForce(String region, Instant at) {
        return inForce(all(), region, at);
    }

    /** The version of {@code books} in force in {@code region} at {@code at}. */
    static Optional<PriceBook> inForce(List<PriceBook> books, String region, Instant at) {
        Comparator<PriceBook> newest = Comparator.comparing(PriceBook::effectiveFrom);
        List<PriceBook> effective = books.stream().filter(book -> !book.effectiveFrom().isAfter(at)).toList();
        Optional<PriceBook> regional = effective.stream().filter(book -> region != null && region.equals(book.region())).max(newest);
        return regional.isPresent() ? regional : effective.stream().filter(book -> book.region() == null).max(newest);
    }

    /** What the event cost under {@code book}: each counter times its meter's price for the event's model. */
    public static BigDecimal cost(UsageEvent event, PriceBook book) {
        BigDecimal cost = BigDecimal.ZERO;
        cost = cost.add(charge(book, Meter.INPUT_TOKENS, event.model(), BigDecimal.valueOf(event.inputTokens())));
        cost = cost.add(charge(book, Meter.OUTPUT_TOKENS, event.model(), BigDecimal.valueOf(event.outputTokens())));
        cost = cost.add(charge(book, Meter.EMBEDDING_TOKENS, event.model(), BigDecimal.valueOf(event.embeddingTokens())));
        cost = cost.add(charge(book, Meter.REQUESTS, event.model(), BigDecimal.valueOf(event.requests())));
        return cost.setScale(SCALE, RoundingMode.HALF_EVEN);
    }

    private static BigDecimal charge(PriceBook book, Meter meter, String model, BigDecimal units) {
        if (units.signum() == 0) {
            return BigDecimal.ZERO;
        }
        return book.priceOf(meter, model, null).map(price -> price.multiply(units).divide(meter.per(), SCALE, RoundingMode.HALF_EVEN))
                .orElse(BigDecimal.ZERO);
    }
}
