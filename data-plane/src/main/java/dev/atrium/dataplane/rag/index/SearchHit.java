package dev.atrium.dataplane.rag.index;

import java.util.UUID;

/** One ranked result: the chunk, its document, and the score of the ranking that produced it. */
public record SearchHit(UUID chunkId, UUID documentId, String title, String text, int start, int end, double score) {
}
