package dev.atrium.dataplane.rag;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import dev.atrium.dataplane.rag.index.SearchMode;

/** {@code POST /v1/knowledge-bases/{kb}/query}: topK defaults to 5, mode to hybrid. */
public record QueryRequest(@NotBlank(message = "query is required") @Size(max = 4000) String query,
                           @Min(1) @Max(100) Integer topK,
                           SearchMode mode) {
}
