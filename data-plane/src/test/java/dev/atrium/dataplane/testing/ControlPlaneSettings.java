package dev.atrium.dataplane.testing;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import dev.atrium.dataplane.common.DataPlaneConfig;

/** A {@link DataPlaneConfig} holding only the control-plane settings, for a client pointed at a simulation. */
public final class ControlPlaneSettings {

    private ControlPlaneSettings() {
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
