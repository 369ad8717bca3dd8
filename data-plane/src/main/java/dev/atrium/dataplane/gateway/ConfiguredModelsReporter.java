package dev.atrium.dataplane.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

import dev.atrium.contract.ConfiguredModelReport;
import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.controlplane.ControlPlaneClient;

/**
 * Tells the control plane which model backends this region's shared data plane is configured with
 * ({@code atrium.models.*}), shortly after start and every 5 minutes, so that they are listed with the platform's
 * deployments. Names, URLs and whether a key is set; never the key. A tenant's own data plane reports nothing.
 */
@ApplicationScoped
public class ConfiguredModelsReporter {

    private static final Logger LOG = Logger.getLogger(ConfiguredModelsReporter.class);

    @Inject
    DataPlaneConfig config;

    @Inject
    ControlPlaneClient controlPlane;

    @Scheduled(every = "5m", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void report() {
        if (config.dedicatedTenant().isPresent() || config.controlPlane().serviceKey().isEmpty()) {
            return;
        }
        try {
            controlPlane.reportConfiguredModels(configured());
        } catch (ControlPlaneClient.UnreachableException e) {
            LOG.debugf("configured models not reported (%s); next attempt in 5 minutes", e.getMessage());
        }
    }

    ConfiguredModelReport configured() {
        List<ConfiguredModelReport.Model> models = new ArrayList<>();
        for (Map.Entry<String, DataPlaneConfig.Upstream> entry : new java.util.TreeMap<>(config.models()).entrySet()) {
            DataPlaneConfig.Upstream upstream = entry.getValue();
            models.add(new ConfiguredModelReport.Model(entry.getKey(), upstream.kind(), upstream.url().toString(),
                    upstream.upstreamModel().orElse(null), upstream.fallback().orElse(null), upstream.apiKey().isPresent(),
                    upstream.tenants().map(tenants -> !tenants.isEmpty()).orElse(false)));
        }
        return new ConfiguredModelReport(models);
    }
}
