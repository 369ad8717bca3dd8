package dev.atrium.dataplane.rag;

import java.util.List;
import java.util.UUID;

/**
 * An answer with numbered citations ({@code [1]} in the text is {@code citations[0]}). {@code mode} is
 * {@code generative} when a chat model wrote it from the retrieved chunks, {@code extractive} when it is made of
 * the best-matching sentences of the chunks themselves.
 */
public record Answer(String answer, List<Citation> citations, String mode, String model) {

    /** Where a cited passage is: the chunk, its document, and character offsets in the document's text. */
    public record Citation(int n, UUID chunkId, UUID documentId, String title, int start, int end, String text) {
    }
}
