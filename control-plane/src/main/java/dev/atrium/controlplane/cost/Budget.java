package dev.atrium.controlplane.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A tenant's budget: {@code limit} of {@code limitKind} ({@code money} in the platform's currency, or {@code tokens}:
 * input, output and embedding tokens) per {@code period} in {@code timeZone}, counted over the usage of {@code apiKeyId}
 * and/or {@code model} (both null: the whole tenant). {@code thresholds} (percent of the limit) and
 * {@code forecastThreshold} (percent of the limit the forecast may reach) raise alerts; {@code action} is what happens
 * once the limit is reached.
 */
public record Budget(UUID id, String name, UUID apiKeyId, String model, String period, String timeZone, LocalDate customStart,
                     Integer customDays, String limitKind, BigDecimal limit, List<Integer> thresholds, Integer forecastThreshold,
                     String action, String downgradeTo, Instant createdAt, String createdBy, Instant updatedAt, String updatedBy,
                     @JsonIgnore long etag) {

    public static final String MONEY = "money";
    public static final String TOKENS = "tokens";

    /**
     * Where a budget stands now: the period (it resets at {@code periodEnd}), what was spent in it, the forecast to its
     * end, and whether the limit is reached ({@code spent >= limit}).
     */
    public record Status(Instant periodStart, Instant periodEnd, BigDecimal spent, BigDecimal limit, double percent,
                         BigDecimal forecast, double forecastPercent, boolean exhausted, String currency) {
    }

    /** A budget with its status. */
    public record View(Budget budget, Status status) {
    }
}
