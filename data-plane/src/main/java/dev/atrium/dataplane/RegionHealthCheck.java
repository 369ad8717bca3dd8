package dev.atrium.dataplane;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Reports which region this data-plane process serves, so operators can tell the processes apart. */
@Readiness
@ApplicationScoped
public class RegionHealthCheck implements HealthCheck {

    @ConfigProperty(name = "atrium.region")
    String region;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("region").up().withData("region", region).build();
    }
}
