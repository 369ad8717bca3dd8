package dev.atrium.controlplane.cost;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Bodies of the budgets API. */
public final class BudgetRequests {

    private BudgetRequests() {
    }

    public record CreateBudget(
            @NotBlank(message = "is required") @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}", message = "must be lowercase letters, digits and '-'")
            String name,
            String apiKeyId,
            @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9._:/-]+", message = "must be a model name") String model,
            @NotBlank(message = "is required") @Pattern(regexp = "daily|weekly|monthly|custom", message = "must be daily, weekly, monthly or custom")
            String period,
            @Size(max = 64) String timeZone,
            LocalDate customStart,
            @Min(1) @Max(366) Integer customDays,
            @NotBlank(message = "is required") @Pattern(regexp = "money|tokens", message = "must be money or tokens") String limitKind,
            @NotNull(message = "is required") @DecimalMin(value = "0", inclusive = false, message = "must be positive")
            @DecimalMax(value = "1000000000000", message = "is too large") @Digits(integer = 13, fraction = 6, message = "at most 6 decimal places")
            BigDecimal limit,
            @Size(max = 5, message = "at most 5 thresholds") List<@NotNull @Min(1) @Max(100) Integer> thresholds,
            @Min(0) @Max(1000) Integer forecastThreshold,
            @Pattern(regexp = "block|downgrade|suspend-key|alert-only", message = "must be block, downgrade, suspend-key or alert-only")
            String action,
            @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9._:/-]+", message = "must be a model name") String downgradeTo) {
    }

    /** What can change: the limit, the alerts and the action (the scope and period make another budget). */
    public record UpdateBudget(
            @DecimalMin(value = "0", inclusive = false, message = "must be positive")
            @DecimalMax(value = "1000000000000", message = "is too large") @Digits(integer = 13, fraction = 6, message = "at most 6 decimal places")
            BigDecimal limit,
            @Size(max = 5, message = "at most 5 thresholds") List<@NotNull @Min(1) @Max(100) Integer> thresholds,
            @Min(0) @Max(1000) Integer forecastThreshold,
            @Pattern(regexp = "block|downgrade|suspend-key|alert-only", message = "must be block, downgrade, suspend-key or alert-only")
            String action,
            @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9._:/-]+", message = "must be a model name") String downgradeTo) {
    }
}
