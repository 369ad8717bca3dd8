package dev.atrium.controlplane.deployment;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.atrium.contract.ServedDeployment;
import dev.atrium.contract.ServedRollout;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.ETags;
import dev.atrium.controlplane.common.FieldError;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.identity.CallerContext;
import dev.atrium.controlplane.model.ModelRegistry;
import dev.atrium.controlplane.model.ModelType;
import dev.atrium.controlplane.model.ModelViews;
import dev.atrium.controlplane.secret.SecretService;
import dev.atrium.controlplane.secret.SecretView;
import dev.atrium.controlplane.tenant.Tenant;
import dev.atrium.controlplane.tenant.TenantDeleting;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;
import dev.atrium.tenancy.EgressAddresses;

/**
 * A tenant's model deployments. Only an APPROVED registry version (the tenant's model or a platform one it can see)
 * of an {@code llm} model can be deployed; the backend's URL must not point into the platform's
 * own network (unless the operator allows private upstreams) and its key must be a secret the tenant holds. Every
 * change is audited in the tenant's chain; the key's value never passes through here.
 */
@ApplicationScoped
public class DeploymentService {

    static final int DEFAULT_TIMEOUT_SECONDS = 60;
    /** Deployments per tenant: each one is a backend the data planes may call on the tenant's behalf. */
    static final int MAX_DEPLOYMENTS = 50;

    @Inject
    DeploymentRepository deployments;

    @Inject
    ModelRegistry registry;

    @Inject
    SecretService secrets;

    @Inject
    AuditTrail auditTrail;

    @Inject
    CallerContext callerContext;

    @Inject
    DeploymentConfig config;

    @Inject
    RolloutRepository rollouts;

    public List<Deployment> list(UUID tenantId) {
        Tenant.require(tenantId);
        return deployments.list(ModelRegistry.owner(tenantId));
    }

    public Deployment get(UUID tenantId, String name) {
        Tenant.require(tenantId);
        return deployments.find(ModelRegistry.owner(tenantId), name).orElseThrow(() -> ApiException.notFound("deployment", name));
    }

    @Transactional
    public Deployment create(UUID tenantId, DeploymentRequests.CreateDeployment request) {
        Tenant.require(tenantId);
        if (Deployment.SELF_HOSTED.equals(request.kind())) {
            throw unprocessable("kind", "self-hosted deployments (a model server on a GPU pool) are not built yet; deploy the "
                    + "model through an OpenAI-compatible backend with kind 'upstream'");
        }
        if (request.upstream() == null) {
            throw unprocessable("upstream", "is required for an upstream deployment");
        }
        requireDeployable(tenantId, request.model(), request.version(), "version");
        Deployment.Upstream upstream = checkedUpstream(tenantId, request.upstream());
        if (deployments.list(ModelRegistry.owner(tenantId)).size() >= MAX_DEPLOYMENTS) {
            throw new ApiException(ProblemType.CONFLICT, "the tenant has " + MAX_DEPLOYMENTS
                    + " deployments, the most it may have; remove one first");
        }
        Instant now = now();
        String actor = callerContext.require().actorId();
        requireFallback(tenantId, request.name(), request.fallback());
        Deployment deployment = new Deployment(request.name(), request.model(), request.version(), Deployment.UPSTREAM, upstream,
                request.fallback(), now, actor, now, actor, 0);
        if (!deployments.insert(ModelRegistry.owner(tenantId), deployment)) {
            throw new ApiException(ProblemType.CONFLICT, "the tenant already has a deployment named '" + request.name() + "'");
        }
        Deployment created = get(tenantId, request.name());
        auditTrail.record(AuditEntry.success("deployment.create").tenant(tenantId).resource("deployment", created.name())
                .after(created));
        return created;
    }

    @Transactional
    public Deployment update(UUID tenantId, String name, DeploymentRequests.UpdateDeployment request, String ifMatch) {
        Tenant.require(tenantId);
        String owner = ModelRegistry.owner(tenantId);
        Deployment before = deployments.lock(owner, name).orElseThrow(() -> ApiException.notFound("deployment", name));
        ETags.requireMatch(ifMatch, before.etag());
        String version = request.version() == null ? before.version() : request.version();
        if (!version.equals(before.version())) {
            if (rollouts.running(owner, name).isPresent()) {
                throw new ApiException(ProblemType.CONFLICT, "deployment '" + name + "' has a rollout running; promote or roll it "
                        + "back instead of changing its version");
            }
            requireDeployable(tenantId, before.model(), version, "version");
        }
        // the backend of a deployment whose version was withdrawn meanwhile can still be changed (a leaked key swapped
        // out, say); the data planes do not serve it until a version is APPROVED again
        Deployment.Upstream upstream = request.upstream() == null ? before.upstream() : checkedUpstream(tenantId, request.upstream());
        String fallback = request.fallback() == null ? before.fallback() : request.fallback().isEmpty() ? null : request.fallback();
        if (request.fallback() != null && fallback != null) {
            requireFallback(tenantId, name, fallback);
        }
        Deployment changed = new Deployment(name, before.model(), version, before.kind(), upstream, fallback, before.createdAt(),
                before.createdBy(), now(), callerContext.require().actorId(), before.etag());
        deployments.update(owner, changed);
        Deployment after = get(tenantId, name);
        auditTrail.record(AuditEntry.success("deployment.update").tenant(tenantId).resource("deployment", name)
                .before(before).after(after));
        return after;
    }

    @Transactional
    public void delete(UUID tenantId, String name, String ifMatch) {
        Tenant.require(tenantId);
        String owner = ModelRegistry.owner(tenantId);
        Deployment before = deployments.lock(owner, name).orElseThrow(() -> ApiException.notFound("deployment", name));
        ETags.requireMatch(ifMatch, before.etag());
        rollouts.deleteFor(owner, name);
        deployments.delete(owner, name);
        auditTrail.record(AuditEntry.success("deployment.delete").tenant(tenantId).resource("deployment", name).before(before));
    }

    /**
     * What a data plane serves the tenant: its deployments with each one's model type and the current version of the
     * secret holding the backend's key, so that a data plane holding an older value reads it again.
     */
    public List<ServedDeployment> served(UUID tenantId) {
        Map<String, Integer> secretVersions = new HashMap<>();
        for (SecretView secret : secrets.list(tenantId)) {
            secretVersions.put(secret.name(), secret.version());
        }
        Map<String, String> types = new HashMap<>();
        for (ModelViews.Servable servable : registry.servable(tenantId)) {
            types.put(servable.model(), servable.type().value());
        }
        Map<String, Rollout> running = new HashMap<>();
        rollouts.runningOf(ModelRegistry.owner(tenantId)).forEach(r -> running.put(r.deployment(), r));
        return list(tenantId).stream().map(d -> new ServedDeployment(d.name(), d.model(), types.getOrDefault(d.model(), "llm"),
                d.version(), d.kind(), d.upstream().url(), d.upstream().model() == null ? d.name() : d.upstream().model(),
                d.upstream().apiKeySecret(), d.upstream().apiKeySecret() == null ? null : secretVersions.get(d.upstream().apiKeySecret()),
                d.upstream().timeoutSeconds(), d.fallback(), served(d, running.get(d.name()), secretVersions))).toList();
    }

    private static ServedRollout served(Deployment deployment, Rollout rollout, Map<String, Integer> secretVersions) {
        if (rollout == null) {
            return null;
        }
        Deployment.Upstream upstream = rollout.upstream();
        return new ServedRollout(rollout.id(), rollout.strategy(), rollout.step(), rollout.candidateVersion(), upstream.url(),
                upstream.model() == null ? deployment.name() : upstream.model(), upstream.apiKeySecret(),
                upstream.apiKeySecret() == null ? null : secretVersions.get(upstream.apiKeySecret()), upstream.timeoutSeconds(),
                rollout.currentStep().weight(), rollout.stickyBy());
    }

    /** A fallback is another deployment the tenant has now (deleting it later leaves a name data planes skip). */
    private void requireFallback(UUID tenantId, String name, String fallback) {
        if (fallback == null) {
            return;
        }
        if (fallback.equals(name)) {
            throw unprocessable("fallback", "a deployment cannot be its own fallback");
        }
        if (deployments.find(ModelRegistry.owner(tenantId), fallback).isEmpty()) {
            throw unprocessable("fallback", "the tenant has no deployment named '" + fallback + "'");
        }
    }

    /** A deleted tenant keeps no deployment. */
    void onTenantDeleting(@Observes TenantDeleting deleting) {
        rollouts.deleteAll(ModelRegistry.owner(deleting.tenantId()));
        deployments.deleteAll(ModelRegistry.owner(deleting.tenantId()));
    }

    Deployment.Upstream checkedUpstream(UUID tenantId, DeploymentRequests.UpstreamSettings settings) {
        EgressAddresses.refusal(settings.url(), config.allowPrivateUpstreams(), true).ifPresent(why -> {
            throw unprocessable("upstream.url", why);
        });
        String secret = settings.apiKeySecret();
        if (secret != null && !config.allowPrivateUpstreams() && !settings.url().regionMatches(true, 0, "https://", 0, 8)) {
            throw unprocessable("upstream.url", "must be https when the deployment sends a key");
        }
        if (secret != null) {
            if (secret.startsWith(SecretService.INFRASTRUCTURE_PREFIX)) {
                throw unprocessable("upstream.apiKeySecret", "secrets named '" + SecretService.INFRASTRUCTURE_PREFIX
                        + "*' are kept by the platform for the tenant's data planes");
            }
            try {
                secrets.get(tenantId, secret);
            } catch (ApiException missing) {
                throw unprocessable("upstream.apiKeySecret", "the tenant has no secret named '" + secret
                        + "' (store the backend's key first: PUT /api/v1/tenants/{id}/secrets/" + secret + ")");
            }
        }
        return new Deployment.Upstream(settings.url().replaceAll("/+$", ""), settings.model(), secret,
                settings.timeoutSeconds() == null ? DEFAULT_TIMEOUT_SECONDS : settings.timeoutSeconds());
    }

    /** Only APPROVED versions of chat or embedding models can be deployed. */
    void requireDeployable(UUID tenantId, String model, String version, String field) {
        List<ModelViews.Servable> approved = registry.servable(tenantId).stream().filter(s -> s.model().equals(model)).toList();
        if (approved.isEmpty()) {
            throw unprocessable("model", "the model registry has no APPROVED version of '" + model + "' for this tenant");
        }
        ModelViews.Servable match = approved.stream().filter(s -> s.version().equals(version)).findFirst()
                .orElseThrow(() -> unprocessable(field, "version '" + version + "' of '" + model + "' is not APPROVED; approved: "
                        + approved.stream().map(ModelViews.Servable::version).toList()));
        if (match.type() != ModelType.LLM) {
            // embedding deployments need the knowledge bases' index bound to one version: planned
            throw unprocessable("model", "'" + model + "' is a " + match.type().value()
                    + " model; only llm models can be deployed so far");
        }
    }

    static ApiException unprocessable(String field, String message) {
        return new ApiException(ProblemType.UNPROCESSABLE, field + ": " + message, List.of(new FieldError(field, message)));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
