package dev.atrium.dataplane.testing;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import dev.atrium.dataplane.common.DataPlaneConfig;

/** A {@link DataPlaneConfig} holding only the control-plane settings, for a client pointed at a simulation. */
public final class ControlPlaneSettings {

    private ControlPlaneSettings() {
    }

    /**
     * A {@link DataPlaneConfig} for the gateway's caches against a control plane simulated in-process: the key cache's
     * defaults (30 s, 15 minutes of staleness), egress checks on (private backends refused), a control plane URL that
     * is never called.
     */
    public static DataPlaneConfig forGateway() {
        DataPlaneConfig.KeyCache keyCache = new DataPlaneConfig.KeyCache() {
            public Duration ttl() {
                return Duration.ofSeconds(30);
            }

            public Duration negativeTtl() {
                return Duration.ofSeconds(30);
            }

            public Duration maxStaleness() {
                return Duration.ofMinutes(15);
            }

            public long maxEntries() {
                return 1000;
            }
        };
        Object deployments = java.lang.reflect.Proxy.newProxyInstance(DataPlaneConfig.class.getClassLoader(),
                new Class<?>[] {DataPlaneConfig.Deployments.class}, (proxy, method, args) -> {
                    if (method.getName().equals("allowPrivateUpstreams")) {
                        return false;
                    }
                    throw new UnsupportedOperationException(method.getName() + " is not part of this simulation");
                });
        DataPlaneConfig controlPlane = pointingAt(URI.create("http://127.0.0.1:9"), Duration.ofSeconds(1));
        return (DataPlaneConfig) java.lang.reflect.Proxy.newProxyInstance(DataPlaneConfig.class.getClassLoader(),
                new Class<?>[] {DataPlaneConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "keyCache" -> keyCache;
                    case "deployments" -> deployments;
                    case "controlPlane" -> controlPlane.controlPlane();
                    default -> throw new UnsupportedOperationException(method.getName() + " is not part of this simulation");
                });
    }

    public static DataPlaneConfig pointingAt(URI url, Duration timeout) {
        DataPlaneConfig.ControlPlane controlPlane = new DataPlaneConfig.ControlPlane() {
            public URI url() {
                return url;
            }

            public Optional<String> serviceKey() {
                return Optional.of("atr_simulated_service_key");
            }

            public Duration timeout() {
                return timeout;
            }
        };
        return (DataPlaneConfig) java.lang.reflect.Proxy.newProxyInstance(DataPlaneConfig.class.getClassLoader(),
                new Class<?>[] {DataPlaneConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("controlPlane")) {
                        return controlPlane;
                    }
                    throw new UnsupportedOperationException(method.getName() + " is not part of this simulation");
                });
    }
}
