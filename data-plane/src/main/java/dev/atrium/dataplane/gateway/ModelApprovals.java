package dev.atrium.dataplane.gateway;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.atrium.contract.ServableModel;
import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.common.Problem;
import dev.atrium.dataplane.controlplane.ControlPlaneClient;
import dev.atrium.dataplane.embedding.EmbeddingModels;

/**
 * The serving gate: an upstream model is served to a tenant only while the model registry on the control plane
 * has an APPROVED version of it (the tenant's own model of that name, or a platform-wide one). A request may pin a
 * version as {@code model@version}; that exact version must be APPROVED. The list of approved versions is cached
 * per tenant like key verdicts (TTL, bounded staleness while the control plane is down, none past the TTL while it is
 * up but not answering: a throttled control plane must not delay a revoked approval).
 */
@ApplicationScoped
public class ModelApprovals {

    private final TenantFacts<List<ServableModel>> approved;

    @Inject
    public ModelApprovals(DataPlaneConfig config, ControlPlaneClient controlPlane) {
        this.approved = new TenantFacts<>("model approvals", controlPlane::servableModels, config.keyCache());
    }

    /** A requested model name, split into the registry name and an optional pinned version. */
    public record Requested(String name, String version) {
        public static Requested parse(String model) {
            int at = model.lastIndexOf('@');
            return at > 0 && at < model.length() - 1 ? new Requested(model.substring(0, at), model.substring(at + 1)) : new Requested(model, null);
        }

        @Override
        public String toString() {
            return version == null ? name : name + "@" + version;
        }
    }

    /** Forgets the approvals cached for an erased tenant. */
    public void forgetTenant(UUID tenantId) {
        approved.forget(tenantId);
    }

    /** Refuses (403 {@code model-not-approved}) unless the model, or the pinned version, is APPROVED for the tenant. */
    public void requireApproved(UUID tenantId, Requested requested, String param) {
        List<ServableModel> approved = this.approved.of(tenantId).stream().filter(a -> a.model().equals(requested.name())).toList();
        if (approved.isEmpty()) {
            throw new ApiException(Problem.MODEL_NOT_APPROVED, "the model '" + requested.name() + "' has no APPROVED version in the "
                    + "model registry; it can be served once a compliance officer approves its model card", param);
        }
        if (requested.version() != null && approved.stream().noneMatch(a -> a.version().equals(requested.version()))) {
            throw new ApiException(Problem.MODEL_NOT_APPROVED, "version '" + requested.version() + "' of model '" + requested.name()
                    + "' is not APPROVED for serving; approved versions: " + approved.stream().map(ServableModel::version).toList(), param);
        }
    }

    /** The gate for a model named in a request or a knowledge base; the built-in in-process embedding models are exempt. */
    public Requested requireServable(UUID tenantId, String model, String param) {
        Requested requested = Requested.parse(model);
        if (!dev.atrium.dataplane.embedding.EmbeddingModels.exists(model)) {
            requireApproved(tenantId, requested, param);
        }
        return requested;
    }
}
