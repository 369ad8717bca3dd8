package dev.atrium.dataplane.rag;

import java.time.Instant;
import java.util.UUID;

/** A tenant's collection of documents, searched together, with how its documents are chunked and embedded. */
public record KnowledgeBase(UUID id, String name, String description, Chunking chunking, String embeddingModel,
                            String chatModel, Instant createdAt, long documents, long chunks) {

    /** Recursive splitting (paragraphs, then lines, sentences, words) into chunks of at most {@code size} tokens. */
    public record Chunking(Integer size, Integer overlap) {
    }
}
