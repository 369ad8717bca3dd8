package dev.atrium.controlplane.region;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.scheduler.Scheduled;

import dev.atrium.controlplane.common.AtriumConfig;

/**
 * Probes every region's data-plane endpoint for readiness ({@code GET <endpoint>/q/health/ready}) and records the
 * result as the region's status: HEALTHY on a 200, UNHEALTHY with the reason otherwise.
 */
@ApplicationScoped
public class RegionHealthProbe {

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Inject
    RegionRepository regions;

    @Inject
    AtriumConfig config;

    @Scheduled(every = "${atrium.regions.probe-interval:15s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void probeAll() {
        regions.all().forEach(this::probe);
    }

    /** Probes one region now and records the outcome; returns the status. */
    public String probe(Region region) {
        String status;
        String detail;
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(region.endpoint() + "/q/health/ready"))
                    .timeout(config.regions().probeTimeout()).GET().build(), HttpResponse.BodyHandlers.discarding());
            status = response.statusCode() == 200 ? Region.HEALTHY : Region.UNHEALTHY;
            detail = response.statusCode() == 200 ? null : "readiness answered " + response.statusCode();
        } catch (IOException e) {
            status = Region.UNHEALTHY;
            detail = "unreachable: " + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return region.status();
        }
        regions.recordProbe(region.name(), status, detail, Instant.now());
        return status;
    }
}
