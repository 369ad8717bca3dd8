package dev.atrium.dataplane.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jboss.logging.Logger;

import dev.atrium.contract.RolloutStates;
import dev.atrium.contract.SecretValue;
import dev.atrium.contract.ServedDeployment;
import dev.atrium.contract.ServedRollout;
import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.common.Problem;
import dev.atrium.dataplane.controlplane.ControlPlaneClient;
import dev.atrium.dataplane.upstream.Route;
import dev.atrium.tenancy.EgressAddresses;

/**
 * A tenant's model deployments, from the control plane, cached like its approvals (TTL, bounded staleness while the
 * control plane is down). A deployment's backend key is a tenant secret: read through the control plane's secret API
 * (which audits the read), kept in memory only, and read again when the deployment listing names a newer version of
 * the secret, so a rotated key is used from the next listing on.
 */
@ApplicationScoped
public class TenantDeployments {

    private static final Logger LOG = Logger.getLogger(TenantDeployments.class);

    private record KeyId(UUID tenantId, String secret) {
    }

    private final TenantFacts<List<ServedDeployment>> listings;
    private final Cache<KeyId, SecretValue> keys;
    private final DataPlaneConfig config;
    private final ControlPlaneClient controlPlane;
    private final java.util.Set<UUID> rolloutTenants = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Self-hosted deployments the control plane was told of in the last 30 s (it writes the demand down that often). */
    private final Cache<KeyId, Boolean> demanded = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofSeconds(30)).build();
    static final String SELF_HOSTED = "self-hosted";

    @Inject
    public TenantDeployments(DataPlaneConfig config, ControlPlaneClient controlPlane) {
        this.config = config;
        this.controlPlane = controlPlane;
        this.listings = new TenantFacts<>("the tenant's model deployments", controlPlane::deployments, config.keyCache());
        this.keys = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(config.keyCache().maxStaleness()).build();
    }

    /**
     * A chat deployment's routes: its stable version and, while a rollout runs, the candidate with the rollout. Both
     * carry their side of the rollout, so that what they serve is measured.
     */
    public record Routes(Route stable, Route candidate, ServedRollout rollout) {

        /** The route serving {@code version}, if the deployment serves it (a running rollout's candidate included). */
        public Optional<Route> serving(String version) {
            if (stable.version().equals(version)) {
                return Optional.of(stable);
            }
            return candidate != null && candidate.version().equals(version) ? Optional.of(candidate) : Optional.empty();
        }
    }

    /** The chat deployment named {@code name}, with its rollout's candidate if one runs; empty when there is none. */
    public Optional<Routes> chatRoutes(UUID tenantId, String name) {
        return deployments(tenantId).stream().filter(d -> d.name().equals(name) && "llm".equals(d.type())).findFirst()
                .map(deployment -> routes(tenantId, deployment));
    }

    /** The stable route of the chat deployment named {@code name} (what a fallback to it calls). */
    public Optional<Route> chat(UUID tenantId, String name) {
        return chatRoutes(tenantId, name).map(Routes::stable);
    }

    /**
     * The embedding deployment named {@code name}: a backend or model server serving one fixed version (an index built with
     * it stays comparable: the version never changes under it, and embedding deployments have no rollouts).
     */
    public Optional<Route> embedding(UUID tenantId, String name) {
        return deployments(tenantId).stream().filter(d -> d.name().equals(name) && "embedding".equals(d.type())).findFirst()
                .map(d -> SELF_HOSTED.equals(d.kind()) ? selfHostedRoute(tenantId, d, null)
                        : route(tenantId, d.name(), d.model(), d.version(), new Backend(d.url(), d.upstreamModel(), d.apiKeySecret(),
                        d.apiKeySecretVersion(), d.timeoutSeconds(), null, d.platform()), null));
    }

    /** Names of the tenant's embedding deployments. */
    public List<String> embeddingNames(UUID tenantId) {
        return deployments(tenantId).stream().filter(d -> "embedding".equals(d.type())).map(ServedDeployment::name).toList();
    }

    /** Names of the tenant's chat deployments. */
    public List<String> chatNames(UUID tenantId) {
        return deployments(tenantId).stream().filter(d -> "llm".equals(d.type())).map(ServedDeployment::name).toList();
    }

    /** Tenants whose deployments, as last read, had a rollout running: their data planes report on them. */
    public java.util.Set<UUID> tenantsWithRollouts() {
        return java.util.Set.copyOf(rolloutTenants);
    }

    /** The running rollouts in what is held of the tenant's deployments (nothing is fetched). */
    public java.util.Set<RolloutStates.Running> heldRollouts(UUID tenantId) {
        return listings.peek(tenantId).orElse(List.of()).stream().filter(d -> d.rollout() != null)
                .map(d -> new RolloutStates.Running(d.name(), d.rollout().id(), d.rollout().step()))
                .collect(java.util.stream.Collectors.toSet());
    }

    /** The control plane says the tenant's rollouts are not what is held: read its deployments again on the next call. */
    public void rolloutsChanged(UUID tenantId, boolean anyRunning) {
        listings.forget(tenantId);
        if (!anyRunning) {
            rolloutTenants.remove(tenantId);
        }
    }

    /** Forgets what is cached of an erased tenant, its keys included. */
    public void forgetTenant(UUID tenantId) {
        listings.forget(tenantId);
        rolloutTenants.remove(tenantId);
        keys.asMap().keySet().removeIf(key -> key.tenantId().equals(tenantId));
    }

    private Routes routes(UUID tenantId, ServedDeployment deployment) {
        ServedRollout rollout = deployment.rollout();
        if (SELF_HOSTED.equals(deployment.kind())) {
            if (rollout == null) {
                return new Routes(selfHostedRoute(tenantId, deployment, null), null, null);
            }
            // the candidate runs on the deployment's second model server, in this namespace too
            rolloutTenants.add(tenantId);
            Route stable = selfHostedRoute(tenantId, deployment, new Route.Arm(rollout.id(), rollout.step(), Route.Arm.STABLE));
            Route candidate = plainRoute(tenantId, deployment.name(), deployment.model(), rollout.version(), new Backend(rollout.url(),
                    rollout.upstreamModel(), null, null, rollout.timeoutSeconds(), null),
                    new Route.Arm(rollout.id(), rollout.step(), Route.Arm.CANDIDATE));
            return new Routes(stable, candidate, rollout);
        }
        if (rollout == null) {
            return new Routes(route(tenantId, deployment.name(), deployment.model(), deployment.version(), new Backend(deployment.url(),
                    deployment.upstreamModel(), deployment.apiKeySecret(), deployment.apiKeySecretVersion(), deployment.timeoutSeconds(),
                    deployment.fallback(), deployment.platform()), null), null, null);
        }
        rolloutTenants.add(tenantId);
        Route stable = route(tenantId, deployment.name(), deployment.model(), deployment.version(), new Backend(deployment.url(),
                deployment.upstreamModel(), deployment.apiKeySecret(), deployment.apiKeySecretVersion(), deployment.timeoutSeconds(),
                deployment.fallback()), new Route.Arm(rollout.id(), rollout.step(), Route.Arm.STABLE));
        // the candidate's fallback is the stable version (see ModelRouter.fallback), not the deployment's fallback
        Route candidate = route(tenantId, deployment.name(), deployment.model(), rollout.version(), new Backend(rollout.url(),
                rollout.upstreamModel(), rollout.apiKeySecret(), rollout.apiKeySecretVersion(), rollout.timeoutSeconds(), null),
                new Route.Arm(rollout.id(), rollout.step(), Route.Arm.CANDIDATE));
        return new Routes(stable, candidate, rollout);
    }

    /** Where one version of a deployment is served, and with which key. */
    private record Backend(String url, String upstreamModel, String apiKeySecret, Integer apiKeySecretVersion, int timeoutSeconds,
                           String fallback, boolean platform) {

        Backend(String url, String upstreamModel, String apiKeySecret, Integer apiKeySecretVersion, int timeoutSeconds,
                String fallback) {
            this(url, upstreamModel, apiKeySecret, apiKeySecretVersion, timeoutSeconds, fallback, false);
        }
    }

    /** Whose keys a platform deployment's are: not any tenant's (one held value serves every tenant). */
    private static final UUID PLATFORM_KEYS = new UUID(0, 0);

    private Route route(UUID tenantId, String name, String model, String version, Backend backend, Route.Arm arm) {
        // checked again on every call: the name may resolve elsewhere than when the deployment was saved
        EgressAddresses.refusal(backend.url(), config.deployments().allowPrivateUpstreams(), true).ifPresent(why -> {
            throw new ApiException(Problem.UPSTREAM_FAILED, "deployment '" + name + "': its backend URL " + why);
        });
        return plainRoute(tenantId, name, model, version, backend, arm);
    }

    /**
     * A self-hosted deployment's model server: the Service the platform made in this (the tenant's own) namespace, or
     * for a platform deployment in the region's shared serving namespace, so no egress check; the control plane hears of the request (at most every 30 s), which starts a server at zero.
     */
    private Route selfHostedRoute(UUID tenantId, ServedDeployment deployment, Route.Arm arm) {
        KeyId id = new KeyId(tenantId, deployment.name());
        if (demanded.asMap().putIfAbsent(id, Boolean.TRUE) == null) {
            Thread.ofVirtual().name("deployment-demand").start(() -> {
                try {
                    controlPlane.demand(tenantId, deployment.name());
                } catch (ControlPlaneClient.UnreachableException e) {
                    demanded.invalidate(id);
                    LOG.debugf("could not tell the control plane of a request for %s: %s", deployment.name(), e.getMessage());
                }
            });
        }
        return plainRoute(tenantId, deployment.name(), deployment.model(), deployment.version(), new Backend(deployment.url(),
                deployment.upstreamModel(), null, null, deployment.timeoutSeconds(), deployment.fallback()), arm);
    }

    private Route plainRoute(UUID tenantId, String name, String model, String version, Backend backend, Route.Arm arm) {
        // the key is read when the call is made, after the serving gate: a refused request reads (and audits) nothing
        java.util.function.Supplier<Optional<String>> key = backend.apiKeySecret() == null ? Optional::empty
                : memoized(() -> Optional.of(key(tenantId, name, backend.apiKeySecret(), backend.apiKeySecretVersion(),
                        backend.platform()).value()));
        return new Route(name, new DeployedUpstream(URI.create(backend.url()), key, backend.upstreamModel(),
                Duration.ofSeconds(backend.timeoutSeconds()), backend.fallback()), model, version, arm);
    }

    /**
     * The key the listing names: the held value only while it is exactly the current version (a secret destroyed and
     * set again starts at version 1 again, so "newer" is not enough); a secret that no longer exists is never used.
     */
    private SecretValue key(UUID tenantId, String deployment, String secret, Integer current, boolean platform) {
        KeyId id = platform ? new KeyId(PLATFORM_KEYS, deployment) : new KeyId(tenantId, secret);
        SecretValue held = keys.getIfPresent(id);
        if (current == null) {
            keys.invalidate(id);
            throw new ApiException(Problem.UPSTREAM_FAILED, "deployment '" + deployment + "': its key, secret '"
                    + secret + "', no longer exists");
        }
        // the same secret at the same version: a deployment switched to another secret of the same version reads it
        if (held != null && held.version() == current && held.name().equals(secret)) {
            return held;
        }
        try {
            SecretValue fresh = platform ? controlPlane.platformDeploymentKey(deployment) : controlPlane.secret(tenantId, secret);
            keys.put(id, fresh);
            return fresh;
        } catch (ControlPlaneClient.RefusedException e) {
            if (e.status() == 429) {
                throw TenantFacts.unavailable(e, "the deployment's key");
            }
            keys.invalidate(id);
            throw new ApiException(Problem.UPSTREAM_FAILED, "deployment '" + deployment + "': the key in secret '"
                    + secret + "' cannot be read (" + e.status() + ")");
        } catch (ControlPlaneClient.UnreachableException e) {
            if (held != null && held.name().equals(secret) && e.isDown()) {
                LOG.debugf("control plane unreachable; using the key of %s held since before", deployment);
                return held;
            }
            throw TenantFacts.unavailable(e, "the deployment's key");
        }
    }

    private List<ServedDeployment> deployments(UUID tenantId) {
        return listings.of(tenantId);
    }

    private static <T> java.util.function.Supplier<T> memoized(java.util.function.Supplier<T> supplier) {
        return new java.util.function.Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }

    /** A deployment's backend as an upstream; its key is never printed. */
    private record DeployedUpstream(URI url, java.util.function.Supplier<Optional<String>> key, String model, Duration timeout,
                                    String fallbackName) implements DataPlaneConfig.Upstream {

        @Override
        public Optional<String> apiKey() {
            return key.get();
        }

        @Override
        public String kind() {
            return ModelRouter.CHAT;
        }

        @Override
        public Optional<String> upstreamModel() {
            return Optional.ofNullable(model);
        }

        @Override
        public Optional<String> fallback() {
            return Optional.ofNullable(fallbackName);
        }

        @Override
        public Optional<List<String>> tenants() {
            return Optional.empty();
        }

        @Override
        public int retries() {
            return 2;
        }

        @Override
        public Duration initialBackoff() {
            return Duration.ofMillis(200);
        }

        @Override
        public String toString() {
            return "DeployedUpstream[" + url + ", model=" + model + ", key=[redacted]]";
        }
    }
}
