package dev.atrium.dataplane.rag;

import java.net.URI;
import java.util.List;
import java.util.Map;

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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.atrium.dataplane.auth.CurrentTenant;
import dev.atrium.tenancy.Scope;

/** Knowledge bases of the key's tenant. Writing needs {@code rag:ingest}; reading {@code rag:query} or {@code rag:ingest}. */
@Path("/v1/knowledge-bases")
@Produces(MediaType.APPLICATION_JSON)
public class KnowledgeBaseResource {

    @Inject
    KnowledgeBaseService knowledgeBases;

    @Inject
    CurrentTenant tenant;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull(message = "body is required") CreateKnowledgeBaseRequest request) {
        KnowledgeBase created = knowledgeBases.create(tenant.require(Scope.RAG_INGEST), request);
        return Response.created(URI.create("/v1/knowledge-bases/" + created.id())).entity(created).build();
    }

    @GET
    public Map<String, List<KnowledgeBase>> list() {
        return Map.of("items", knowledgeBases.list(tenant.requireAny(Scope.RAG_QUERY, Scope.RAG_INGEST)));
    }

    @GET
    @Path("/{kb}")
    public KnowledgeBase get(@PathParam("kb") String kb) {
        return knowledgeBases.get(tenant.requireAny(Scope.RAG_QUERY, Scope.RAG_INGEST), KnowledgeBaseService.parseId(kb, "knowledge base"));
    }

    @DELETE
    @Path("/{kb}")
    public Response delete(@PathParam("kb") String kb) {
        knowledgeBases.delete(tenant.require(Scope.RAG_INGEST), KnowledgeBaseService.parseId(kb, "knowledge base"));
        return Response.noContent().build();
    }
}
