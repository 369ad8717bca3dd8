package dev.atrium.dataplane.rag.index;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How to rank: dense vectors, BM25 keywords, or both fused by reciprocal rank. */
public enum SearchMode {
    VECTOR, KEYWORD, HYBRID;

    @JsonValue
    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @JsonCreator
    public static SearchMode of(String value) {
        return value == null ? null : valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
