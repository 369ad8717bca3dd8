package dev.atrium.dataplane.rag;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import dev.atrium.dataplane.rag.index.SearchMode;

/** {@code POST /v1/knowledge-bases/{kb}/answer}: how many chunks to ground on (default 5) and how to retrieve them. */
public record AnswerRequest(@NotBlank(message = "question is required") @Size(max = 4000) String question,
                            @Min(1) @Max(20) Integer topK,
                            SearchMode mode) {
}
