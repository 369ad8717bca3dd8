package dev.atrium.controlplane.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Bodies of the price book API. */
public final class PriceRequests {

    private PriceRequests() {
    }

    /**
     * A new version of the prices of {@code region} (absent: every region), in force from {@code effectiveFrom}: at the
     * earliest a minute from now, unless {@code backdated} (a correction: usage recorded from then on is priced with it,
     * usage already recorded keeps its cost until the period is repriced).
     */
    public record CreatePriceBook(
            @Size(max = 40) @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,39}", message = "must name a region") String region,
            @NotBlank(message = "is required") @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code") String currency,
            @NotNull(message = "is required") Instant effectiveFrom,
            Boolean backdated,
            @Size(max = 500) String note,
            @NotEmpty(message = "must list at least one price") @Size(max = 500, message = "at most 500 prices per version")
            List<@Valid @NotNull PriceItem> prices) {
    }

    /** {@code unitPrice} per 1,000 tokens or requests, per GPU-second, or per GB-month, as {@code meter} says. */
    public record PriceItem(
            @NotBlank(message = "is required")
            @Pattern(regexp = "input-tokens|output-tokens|embedding-tokens|requests|gpu-seconds|rag-storage",
                    message = "must be input-tokens, output-tokens, embedding-tokens, requests, gpu-seconds or rag-storage")
            String meter,
            @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9._:/-]+(@[A-Za-z0-9._-]+)?", message = "must be a model name, or name@version")
            String model,
            @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+", message = "must be a GPU type") String gpuType,
            @NotNull(message = "is required") @DecimalMin(value = "0", message = "must not be negative")
            @DecimalMax(value = "1000000", message = "must be at most 1000000")
            @Digits(integer = 7, fraction = 12, message = "at most 12 decimal places") BigDecimal unitPrice) {
    }

    /**
     * Recompute what the usage recorded in {@code [from, to)} (of {@code region}, or every region) cost with the
     * versions in force now for those instants; the old figures are kept.
     */
    public record Reprice(@NotNull(message = "is required") Instant from, @NotNull(message = "is required") Instant to,
                          @Size(max = 40) String region, @NotBlank(message = "is required (why the period is repriced)")
                          @Size(max = 500) String reason) {
    }
}
