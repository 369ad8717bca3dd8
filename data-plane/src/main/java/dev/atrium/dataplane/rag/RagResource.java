package dev.atrium.dataplane.rag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.atrium.dataplane.auth.CurrentTenant;
import dev.atrium.dataplane.rag.index.SearchHit;
import dev.atrium.dataplane.rag.index.SearchMode;
import dev.atrium.tenancy.Scope;

/** Retrieval and question answering over a knowledge base ({@code rag:query}). */
@Path("/v1/knowledge-bases")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RagResource {

    @Inject
    RetrievalService retrieval;

    @Inject
    AnswerService answers;

    @Inject
    CurrentTenant tenant;

    @POST
    @Path("/{kb}/query")
    public Map<String, Object> query(@PathParam("kb") String kb, @Valid @NotNull(message = "body is required") QueryRequest request) {
        tenant.require(Scope.RAG_QUERY);
        List<SearchHit> hits = retrieval.query(tenant.principal(), KnowledgeBaseService.parseId(kb, "knowledge base"), request);
        List<Map<String, Object>> results = new ArrayList<>(hits.size());
        for (int i = 0; i < hits.size(); i++) {
            results.add(RetrievalService.describe(hits.get(i), i + 1));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("mode", (request.mode() == null ? SearchMode.HYBRID : request.mode()).value());
        body.put("results", results);
        return body;
    }

    @POST
    @Path("/{kb}/answer")
    public Answer answer(@PathParam("kb") String kb, @Valid @NotNull(message = "body is required") AnswerRequest request) {
        tenant.require(Scope.RAG_QUERY);
        return answers.answer(tenant.principal(), KnowledgeBaseService.parseId(kb, "knowledge base"), request);
    }
}
