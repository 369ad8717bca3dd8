package dev.atrium.controlplane.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One version of the platform's prices, for one region or (region null) every region, in force from
 * {@code effectiveFrom} until a newer version for the same scope. Never changed once stored.
 */
public record PriceBook(UUID id, String region, String currency, Instant effectiveFrom, String note, Instant createdAt,
                        String createdBy, List<Price> prices) {

    /**
     * A unit price ({@code unitPrice} per {@link Meter#per()} units) for one meter; for one model ({@code name} or one
     * version's {@code name@version}) or, with model null, every model the book names no price for; GPU time per GPU
     * type ({@code gpuType} null: any type).
     */
    public record Price(String meter, String model, String gpuType, BigDecimal unitPrice) {
    }

    /**
     * The price of {@code meter} for {@code model} (the name a request used, perhaps {@code name@version}): the
     * version's own price, else the model's, else the book's default; empty when the book charges nothing for it.
     */
    public Optional<BigDecimal> priceOf(Meter meter, String model, String gpuType) {
        List<String> candidates = new java.util.ArrayList<>();
        if (model != null) {
            candidates.add(model);
            if (model.contains("@")) {
                candidates.add(model.substring(0, model.indexOf('@')));
            }
        }
        candidates.add(null);
        for (String candidate : candidates) {
            Optional<BigDecimal> found = find(meter, candidate, gpuType);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Optional<BigDecimal> find(Meter meter, String model, String gpuType) {
        Optional<BigDecimal> exact = prices.stream().filter(p -> p.meter().equals(meter.value())
                && java.util.Objects.equals(p.model(), model) && java.util.Objects.equals(p.gpuType(), gpuType))
                .map(Price::unitPrice).findFirst();
        if (exact.isPresent() || gpuType == null) {
            return exact;
        }
        return prices.stream().filter(p -> p.meter().equals(meter.value()) && java.util.Objects.equals(p.model(), model)
                && p.gpuType() == null).map(Price::unitPrice).findFirst();
    }
}
