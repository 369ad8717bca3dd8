package dev.atrium.dataplane.rag;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.atrium.dataplane.auth.TenantPrincipal;
import dev.atrium.dataplane.embedding.EmbeddingModels;
import dev.atrium.dataplane.gateway.ChatGateway;
import dev.atrium.dataplane.gateway.ModelApprovals;
import dev.atrium.dataplane.guardrail.GuardrailDecisions;
import dev.atrium.dataplane.guardrail.Guardrails;
import dev.atrium.dataplane.metering.Usage;
import dev.atrium.dataplane.metering.UsageOutbox;
import dev.atrium.dataplane.rag.index.IndexRegistry;
import dev.atrium.dataplane.rag.index.SearchHit;
import dev.atrium.dataplane.rag.index.SearchMode;

/** Ranked retrieval over one knowledge base: screens the query, embeds it, searches the index, meters the request. */
@ApplicationScoped
public class RetrievalService {

    public static final int DEFAULT_TOP_K = 5;

    @Inject
    KnowledgeBaseService knowledgeBases;

    @Inject
    EmbeddingModels embeddings;

    @Inject
    IndexRegistry indexes;

    @Inject
    Guardrails guardrails;

    @Inject
    UsageOutbox outbox;

    @Inject
    ModelApprovals approvals;

    @Inject
    ChatGateway gateway;

    /** Search results plus what the search cost, for the caller's usage event. */
    public record Retrieval(KnowledgeBase knowledgeBase, List<SearchHit> hits, long queryTokens) {
    }

    public List<SearchHit> query(TenantPrincipal caller, UUID kbId, QueryRequest request) {
        GuardrailDecisions decisions = new GuardrailDecisions();
        Retrieval retrieval = retrieve(caller, kbId, request.query(), request.topK(), request.mode(), decisions);
        outbox.record(new Usage(caller.tenantId(), caller.keyId(), "rag.query", retrieval.knowledgeBase().embeddingModel(),
                0, 0, retrieval.queryTokens(), 0, decisions.counts()));
        return retrieval.hits();
    }

    public Retrieval retrieve(TenantPrincipal caller, UUID kbId, String text, Integer topK, SearchMode mode,
                              GuardrailDecisions decisions) {
        UUID tenantId = caller.tenantId();
        KnowledgeBase kb = knowledgeBases.settings(tenantId, kbId);
        gateway.requireEmbeddingServable(tenantId, kb.embeddingModel(), "embeddingModel");
        SearchMode searchMode = mode == null ? SearchMode.HYBRID : mode;
        float[] vector = null;
        long queryTokens = 0;
        if (searchMode != SearchMode.KEYWORD && EmbeddingModels.exists(kb.embeddingModel())) {
            // in process, so the query stays here; the quantized model's vector also feeds the injection classifier
            EmbeddingModels.Embedded embedded = embeddings.embedCounting(kb.embeddingModel(), text);
            vector = embedded.vector();
            queryTokens = embedded.tokens();
            guardrails.screenPrompt(tenantId, text, EmbeddingModels.QUANTIZED.equals(kb.embeddingModel()) ? vector : null, decisions);
        } else {
            // screened before it leaves for an embedding backend: a blocked query is never sent anywhere
            guardrails.screenPrompt(tenantId, text, null, decisions);
            if (searchMode != SearchMode.KEYWORD) {
                ChatGateway.Embedded embedded = gateway.embed(tenantId, kb.embeddingModel(), List.of(text));
                vector = embedded.vectors().getFirst();
                queryTokens = embedded.tokens();
            }
        }
        List<SearchHit> hits = indexes.index(tenantId, kbId).search(searchMode, text, vector, topK == null ? DEFAULT_TOP_K : topK);
        return new Retrieval(kb, hits, queryTokens);
    }

    static Map<String, Object> describe(SearchHit hit, int rank) {
        return Map.of("rank", rank, "chunkId", hit.chunkId(), "documentId", hit.documentId(), "title", hit.title(),
                "text", hit.text(), "score", hit.score(), "start", hit.start(), "end", hit.end());
    }
}
