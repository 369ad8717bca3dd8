package dev.atrium.dataplane.rag;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.atrium.dataplane.auth.CurrentTenant;
import dev.atrium.tenancy.Scope;

/** Progress of background ingest jobs. */
@Path("/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    @Inject
    DocumentService documents;

    @Inject
    CurrentTenant tenant;

    @GET
    @Path("/{id}")
    public IngestJob get(@PathParam("id") String id) {
        return documents.job(tenant.requireAny(Scope.RAG_INGEST, Scope.RAG_QUERY), KnowledgeBaseService.parseId(id, "job"));
    }
}
