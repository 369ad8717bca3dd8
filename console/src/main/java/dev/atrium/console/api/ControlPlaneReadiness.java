package dev.atrium.console.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** The console is ready when the control plane it calls is (it has no state of its own). */
@Readiness
@ApplicationScoped
public class ControlPlaneReadiness implements HealthCheck {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @ConfigProperty(name = "atrium.control-plane.url")
    String controlPlaneUrl;

    @Override
    public HealthCheckResponse call() {
        boolean up;
        try {
            up = http.send(HttpRequest.newBuilder(URI.create(controlPlaneUrl + "/q/health/ready")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            up = false;
        }
        return HealthCheckResponse.named("control-plane").status(up).withData("url", controlPlaneUrl).build();
    }
}
