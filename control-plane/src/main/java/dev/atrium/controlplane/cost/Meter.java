package dev.atrium.controlplane.cost;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Optional;

/**
 * What a price is charged on, and per how much: tokens and requests per 1,000, GPU time per second (by GPU type),
 * knowledge-base storage per GB-month.
 */
public enum Meter {
    INPUT_TOKENS("input-tokens", 1000),
    OUTPUT_TOKENS("output-tokens", 1000),
    EMBEDDING_TOKENS("embedding-tokens", 1000),
    REQUESTS("requests", 1000),
    GPU_SECONDS("gpu-seconds", 1),
    RAG_STORAGE("rag-storage", 1);

    private final String value;
    private final BigDecimal per;

    Meter(String value, int per) {
        this.value = value;
        this.per = BigDecimal.valueOf(per);
    }

    public String value() {
        return value;
    }

    /** How many units one price is for. */
    public BigDecimal per() {
        return per;
    }

    public static Optional<Meter> fromValue(String value) {
        return Arrays.stream(values()).filter(m -> m.value.equals(value)).findFirst();
    }
}
