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

import dev.atrium.contract.SecretValue;
import dev.atrium.contract.ServedDeployment;
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

    @Inject
    public TenantDeployments(DataPlaneConfig config, ControlPlaneClient controlPlane) {
        this.config = config;
        this.controlPlane = controlPlane;
        this.listings = new TenantFacts<>("the tenant's model deployments", controlPlane::deployments, config.keyCache());
        this.keys = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(config.keyCache().maxStaleness()).build();
    }

    /** The chat deployment named {@code name}, as a route with its backend's current key; empty when there is none. */
    public Optional<Route> chat(UUID tenantId, String name) {
        return deployments(tenantId).stream().filter(d -> d.name().equals(name) && "llm".equals(d.type())).findFirst()
                .map(deployment -> route(tenantId, deployment));
    }

    /** Names of the tenant's chat deployments. */
    public List<String> chatNames(UUID tenantId) {
        return deployments(tenantId).stream().filter(d -> "llm".equals(d.type())).map(ServedDeployment::name).toList();
    }

    /** Forgets what is cached of an erased tenant, its keys included. */
    public void forgetTenant(UUID tenantId) {
        listings.forget(tenantId);
        keys.asMap().keySet().removeIf(key -> key.tenantId().equals(tenantId));
    }

    private Route route(UUID tenantId, ServedDeployment deployment) {
        // checked again on every call: the name may resolve elsewhere than when the deployment was saved
        EgressAddresses.refusal(deployment.url(), config.deployments().allowPrivateUpstreams(), true).ifPresent(why -> {
            throw new ApiException(Problem.UPSTREAM_FAILED, "deployment '" + deployment.name() + "': its backend URL " + why);
        });
        // the key is read when the call is made, after the serving gate: a refused request reads (and audits) nothing
        java.util.function.Supplier<Optional<String>> key = deployment.apiKeySecret() == null ? Optional::empty
                : memoized(() -> Optional.of(key(tenantId, deployment).value()));
        return new Route(deployment.name(), new DeployedUpstream(URI.create(deployment.url()), key, deployment.upstreamModel(),
                Duration.ofSeconds(deployment.timeoutSeconds()), deployment.fallback()), deployment.model(), deployment.version());
    }

    /**
     * The key the listing names: the held value only while it is exactly the current version (a secret destroyed and
     * set again starts at version 1 again, so "newer" is not enough); a secret that no longer exists is never used.
     */
    private SecretValue key(UUID tenantId, ServedDeployment deployment) {
        KeyId id = new KeyId(tenantId, deployment.apiKeySecret());
        SecretValue held = keys.getIfPresent(id);
        Integer current = deployment.apiKeySecretVersion();
        if (current == null) {
            keys.invalidate(id);
            throw new ApiException(Problem.UPSTREAM_FAILED, "deployment '" + deployment.name() + "': its key, secret '"
                    + deployment.apiKeySecret() + "', no longer exists");
        }
        if (held != null && held.version() == current) {
            return held;
        }
        try {
            SecretValue fresh = controlPlane.secret(tenantId, deployment.apiKeySecret());
            keys.put(id, fresh);
            return fresh;
        } catch (ControlPlaneClient.RefusedException e) {
            if (e.status() == 429) {
                throw TenantFacts.unavailable(e, "the deployment's key");
            }
            keys.invalidate(id);
            throw new ApiException(Problem.UPSTREAM_FAILED, "deployment '" + deployment.name() + "': the key in secret '"
                    + deployment.apiKeySecret() + "' cannot be read (" + e.status() + ")");
        } catch (ControlPlaneClient.UnreachableException e) {
            if (held != null && e.isDown()) {
                LOG.debugf("control plane unreachable; using the key of %s held since before", deployment.name());
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
