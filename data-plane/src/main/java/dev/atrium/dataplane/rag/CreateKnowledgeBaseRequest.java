package dev.atrium.dataplane.rag;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST /v1/knowledge-bases}; chunking and embedding model default to 128/16 tokens and the quantized model. */
public record CreateKnowledgeBaseRequest(
        @NotBlank(message = "name is required") @Size(max = 100)
        @Pattern(regexp = "[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]*", message = "letters, digits, space, '.', '_' and '-' only")
        String name,
        @Size(max = 1000) String description,
        @Valid KnowledgeBase.Chunking chunking,
        @Size(max = 100) String embeddingModel,
        @Size(max = 200) String chatModel) {
}
