package dev.atrium.dataplane.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.common.Problem;
import dev.atrium.dataplane.embedding.EmbeddingModels;
import dev.atrium.dataplane.upstream.Route;

/**
 * Which model backends a tenant may use: its own deployments first (a deployment's name shadows a configured model of
 * that name for the tenant), then the upstreams in {@code atrium.models.<name>} whose tenant list is empty or names the
 * tenant. A model a tenant may not use is reported exactly like one that does not exist.
 */
@ApplicationScoped
public class ModelRouter {

    @Inject
    DataPlaneConfig config;

    @Inject
    TenantDeployments deployments;

    public static final String CHAT = "chat";
    public static final String EMBEDDING = "embedding";

    public List<String> chatModels(UUID tenantId) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>(models(tenantId, CHAT));
        names.addAll(deployments.chatNames(tenantId));
        return List.copyOf(names);
    }

    /** Embedding backends configured upstream (the in-process models are always available besides these). */
    public List<String> embeddingModels(UUID tenantId) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>(models(tenantId, EMBEDDING));
        names.addAll(deployments.embeddingNames(tenantId));
        return List.copyOf(names);
    }

    private List<String> models(UUID tenantId, String kind) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, DataPlaneConfig.Upstream> model : config.models().entrySet()) {
            if (kind.equals(model.getValue().kind()) && allowed(model.getValue(), tenantId)) {
                names.add(model.getKey());
            }
        }
        names.sort(String::compareTo);
        return names;
    }

    /**
     * An embedding model the tenant may use: in process (no route: empty), or an upstream of kind {@code embedding}.
     */
    public Optional<Route> requireEmbeddingModel(UUID tenantId, String name, String param) {
        if (EmbeddingModels.exists(name)) {
            return Optional.empty();
        }
        Optional<Route> deployed = deployments.embedding(tenantId, name);
        if (deployed.isPresent()) {
            return deployed;
        }
        DataPlaneConfig.Upstream upstream = config.models().get(name);
        if (upstream == null || !EMBEDDING.equals(upstream.kind()) || !allowed(upstream, tenantId)) {
            throw new ApiException(Problem.MODEL_NOT_AVAILABLE, "The embedding model '" + name + "' does not exist or you do not have access to it; "
                    + "available: " + EmbeddingModels.names() + " " + embeddingModels(tenantId), param);
        }
        return Optional.of(new Route(name, upstream));
    }

    /** The tenant's chat deployment of that name, with its running rollout's candidate; empty when it has none. */
    public Optional<TenantDeployments.Routes> deployment(UUID tenantId, String name) {
        return deployments.chatRoutes(tenantId, name);
    }

    public Route requireChatModel(UUID tenantId, String name, String param) {
        Optional<Route> deployed = deployments.chat(tenantId, name);
        if (deployed.isPresent()) {
            return deployed.get();
        }
        DataPlaneConfig.Upstream upstream = config.models().get(name);
        if (upstream == null || !CHAT.equals(upstream.kind()) || !allowed(upstream, tenantId)) {
            throw new ApiException(Problem.MODEL_NOT_AVAILABLE, "The model '" + name + "' does not exist or you do not have access to it.", param);
        }
        return new Route(name, upstream);
    }

    /**
     * The fallback of a chat route, if one is configured and the tenant may use it. Embedding routes have none: another
     * model's vectors would not be comparable with the ones already indexed.
     */
    public Route fallback(UUID tenantId, Route route) {
        if (route.arm() != null && route.arm().candidate()) {
            // a rollout's candidate falls back to the stable version: its failure is measured, the caller is answered
            return deployments.chat(tenantId, route.name()).orElse(null);
        }
        if (route.isDeployment()) {
            // another deployment of the tenant; one deleted since is skipped
            return route.upstream().fallback().flatMap(name -> deployments.chat(tenantId, name)).orElse(null);
        }
        return route.upstream().fallback()
                .filter(name -> config.models().containsKey(name) && allowed(config.models().get(name), tenantId)
                        && CHAT.equals(config.models().get(name).kind()))
                .map(name -> new Route(name, config.models().get(name)))
                .orElse(null);
    }

    private static boolean allowed(DataPlaneConfig.Upstream upstream, UUID tenantId) {
        return upstream.tenants().map(list -> list.isEmpty() || list.contains(tenantId.toString())).orElse(true);
    }
}
