package dev.atrium.dataplane.serving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.atrium.dataplane.auth.CurrentTenant;
import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.Problem;
import dev.atrium.dataplane.embedding.EmbeddingModels;
import dev.atrium.dataplane.gateway.ModelRouter;

/** OpenAI's {@code GET /v1/models}: the local embedding models and the upstream backends this tenant may use. */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

    /** A fixed "created" time: the OpenAI schema requires one, and these models have no meaningful date here. */
    private static final long CREATED = 1_700_000_000L;

    @Inject
    CurrentTenant tenant;

    @Inject
    ModelRouter router;

    @GET
    public Map<String, Object> list() {
        return Map.of("object", "list", "data", models(tenant.principal().tenantId()));
    }

    @GET
    @Path("/{id}")
    public Map<String, Object> get(@PathParam("id") String id) {
        return models(tenant.principal().tenantId()).stream().filter(m -> m.get("id").equals(id)).findFirst()
                .orElseThrow(() -> new ApiException(Problem.MODEL_NOT_AVAILABLE, "The model '" + id + "' does not exist", "model"));
    }

    private List<Map<String, Object>> models(UUID tenantId) {
        List<Map<String, Object>> models = new ArrayList<>();
        for (String name : EmbeddingModels.names()) {
            models.add(model(name, "atrium"));
        }
        for (String name : router.embeddingModels(tenantId)) {
            models.add(model(name, "atrium-upstream"));
        }
        for (String name : router.chatModels(tenantId)) {
            models.add(model(name, "atrium-upstream"));
        }
        return models;
    }

    private static Map<String, Object> model(String id, String owner) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", id);
        model.put("object", "model");
        model.put("created", CREATED);
        model.put("owned_by", owner);
        return model;
    }
}
