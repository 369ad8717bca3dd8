package dev.atrium.dataplane.rag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import dev.atrium.dataplane.auth.CurrentTenant;
import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.common.Problem;
import dev.atrium.tenancy.Scope;

/**
 * Documents of a knowledge base: upload as multipart ({@code file}, optional {@code title}) or as JSON. 201 for a
 * new document indexed now, 202 with a job for a large one, 200 with the existing document for identical content;
 * 413 beyond the size limits of {@code atrium.rag.*}, 429 while the parsers or the job queue are full.
 */
@Path("/v1/knowledge-bases/{kb}/documents")
@Produces(MediaType.APPLICATION_JSON)
public class DocumentResource {

    private static final int MAX_PAGE = 500;

    @Inject
    DocumentService documents;

    @Inject
    CurrentTenant tenant;

    @Inject
    DataPlaneConfig config;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response addJson(@PathParam("kb") String kb, @Valid @NotNull(message = "body is required") AddDocumentRequest request) {
        tenant.require(Scope.RAG_INGEST);
        if (request.text().length() > config.rag().maxDocumentChars()) {
            throw new ApiException(Problem.TOO_LARGE, "text: at most " + config.rag().maxDocumentChars()
                    + " characters (atrium.rag.max-document-chars)", "text");
        }
        byte[] content = request.text().getBytes(StandardCharsets.UTF_8);
        if (content.length > config.rag().maxDocumentBytes()) {
            throw new ApiException(Problem.TOO_LARGE, "text: at most " + config.rag().maxDocumentBytes()
                    + " bytes in UTF-8 (atrium.rag.max-document-bytes)", "text");
        }
        String type = DocumentParser.mediaType(request.contentType() == null ? "text/plain" : request.contentType(), null);
        return respond(documents.ingest(tenant.principal(), id(kb), request.title(), type, content));
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response addFile(@PathParam("kb") String kb, @RestForm("file") FileUpload file, @RestForm("title") String title) {
        tenant.require(Scope.RAG_INGEST);
        if (file == null) {
            throw ApiException.invalid("file", "a multipart field 'file' is required");
        }
        if (file.size() > config.rag().maxDocumentBytes()) {
            throw new ApiException(Problem.TOO_LARGE, "file: documents may be at most " + config.rag().maxDocumentBytes()
                    + " bytes (atrium.rag.max-document-bytes)", "file");
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = title == null || title.isBlank() ? file.fileName() : title;
        return respond(documents.ingest(tenant.principal(), id(kb), name == null ? "untitled" : name,
                DocumentParser.mediaType(file.contentType(), file.fileName()), content));
    }

    @GET
    public Map<String, Object> list(@PathParam("kb") String kb, @QueryParam("limit") Integer limit,
                                    @QueryParam("createdAfter") String createdAfter) {
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw ApiException.invalid("limit", "must be between 1 and " + MAX_PAGE);
        }
        Instant after;
        try {
            after = createdAfter == null ? null : Instant.parse(createdAfter);
        } catch (RuntimeException e) {
            throw ApiException.invalid("createdAfter", "must be an ISO-8601 instant");
        }
        List<DocumentView> page = documents.list(tenant.requireAny(Scope.RAG_QUERY, Scope.RAG_INGEST), id(kb), size, after);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page);
        body.put("nextCreatedAfter", page.size() == size ? page.getLast().createdAt().toString() : null);
        return body;
    }

    @GET
    @Path("/{documentId}")
    public DocumentView get(@PathParam("kb") String kb, @PathParam("documentId") String documentId) {
        return documents.get(tenant.requireAny(Scope.RAG_QUERY, Scope.RAG_INGEST), id(kb),
                KnowledgeBaseService.parseId(documentId, "document"));
    }

    @DELETE
    @Path("/{documentId}")
    public Response delete(@PathParam("kb") String kb, @PathParam("documentId") String documentId) {
        tenant.require(Scope.RAG_INGEST);
        documents.delete(tenant.principal(), id(kb), KnowledgeBaseService.parseId(documentId, "document"));
        return Response.noContent().build();
    }

    private static UUID id(String kb) {
        return KnowledgeBaseService.parseId(kb, "knowledge base");
    }

    private static Response respond(DocumentService.IngestResult result) {
        URI location = URI.create("/v1/knowledge-bases/" + result.document().knowledgeBaseId() + "/documents/" + result.document().id());
        if (!result.created()) {
            return Response.ok(result.document()).location(location).build();
        }
        if (result.job() != null) {
            return Response.accepted(Map.of("document", result.document(), "job", result.job()))
                    .location(URI.create("/v1/jobs/" + result.job().id())).build();
        }
        return Response.created(location).entity(result.document()).build();
    }
}
