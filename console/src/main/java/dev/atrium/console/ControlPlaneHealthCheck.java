package dev.atrium.console;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Reports which control plane the console talks to; the console has no database of its own. */
@Liveness
@ApplicationScoped
public class ControlPlaneHealthCheck implements HealthCheck {

    @ConfigProperty(name = "atrium.control-plane.url")
    String controlPlaneUrl;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("console").up().withData("controlPlane", controlPlaneUrl).build();
    }
}
