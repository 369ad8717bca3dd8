package dev.atrium.dataplane.rag;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;

import dev.atrium.dataplane.embedding.EmbeddingModels;

/**
 * Splits text with LangChain4j's recursive splitter (paragraphs, lines, sentences, words), counting tokens with
 * the embedding model's own tokenizer, and finds each chunk's character offsets in the source text for citations.
 */
@ApplicationScoped
public class Chunker {

    /** A piece of a document, with where it sits in the document's text. */
    public record Chunk(int seq, String text, int start, int end, int tokens) {
    }

    @Inject
    EmbeddingModels models;

    public List<Chunk> split(String text, int size, int overlap) {
        List<TextSegment> segments = DocumentSplitters.recursive(size, overlap, models.tokenizer()).split(Document.from(text));
        List<Chunk> chunks = new ArrayList<>(segments.size());
        int searchFrom = 0;
        for (TextSegment segment : segments) {
            String piece = segment.text();
            int start = text.indexOf(piece, searchFrom);
            if (start < 0) {
                start = text.indexOf(piece);
            }
            int end = start < 0 ? -1 : start + piece.length();
            if (start >= 0) {
                searchFrom = start + 1;
            }
            chunks.add(new Chunk(chunks.size(), piece, Math.max(start, 0), Math.max(end, 0), models.tokens(piece)));
        }
        return chunks;
    }
}
