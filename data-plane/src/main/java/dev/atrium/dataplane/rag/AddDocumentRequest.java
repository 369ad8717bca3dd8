package dev.atrium.dataplane.rag;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A document sent as JSON; {@code contentType} is text/plain (default), text/markdown or text/html. */
public record AddDocumentRequest(@NotBlank(message = "title is required") @Size(max = 500) String title,
                                 @NotBlank(message = "text is required") String text,
                                 @Size(max = 100) String contentType) {
}
