package dev.atrium.controlplane.tenant;

import java.util.Arrays;
import java.util.Optional;

/**
 * Service plans and the quotas they carry. Enforced today: the rate limit of each API key (requests per second and
 * burst) and {@code maxApiKeys} at key creation. {@code maxKnowledgeBases} and {@code monthlyTokens} are shown on the
 * tenant but not yet enforced (the data plane's knowledge bases and the cost guardrails will enforce them).
 */
public enum Plan {
    FREE("free", new Quotas(5, 10, 5, 1, 1_000_000L)),
    STANDARD("standard", new Quotas(100, 200, 50, 20, 100_000_000L)),
    ENTERPRISE("enterprise", new Quotas(1000, 2000, 500, 200, 10_000_000_000L));

    private final String value;
    private final Quotas quotas;

    Plan(String value, Quotas quotas) {
        this.value = value;
        this.quotas = quotas;
    }

    public String value() {
        return value;
    }

    public Quotas quotas() {
        return quotas;
    }

    public static Optional<Plan> fromValue(String value) {
        return Arrays.stream(values()).filter(p -> p.value.equals(value)).findFirst();
    }

    /** Limits of a plan. */
    public record Quotas(int requestsPerSecond, int burst, int maxApiKeys, int maxKnowledgeBases, long monthlyTokens) {
    }
}
