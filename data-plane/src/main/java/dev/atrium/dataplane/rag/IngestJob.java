package dev.atrium.dataplane.rag;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Progress of indexing one large document in the background. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngestJob(UUID id, UUID knowledgeBaseId, UUID documentId, String status, int percent, int chunksDone,
                        int chunksTotal, String error, Instant createdAt, Instant updatedAt) {

    public static final String QUEUED = "QUEUED";
    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";
}
