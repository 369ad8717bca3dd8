package dev.atrium.dataplane.rag;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A document as the API shows it (never its text: the chunks are what queries return). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DocumentView(UUID id, UUID knowledgeBaseId, String title, String contentType, String contentHash,
                           String status, int chunks, int piiFindings, String error, Instant createdAt, UUID jobId) {
}
