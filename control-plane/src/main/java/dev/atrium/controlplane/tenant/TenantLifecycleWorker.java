package dev.atrium.controlplane.tenant;

import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

/**
 * Drives tenants through PROVISIONING and DELETING: right after the request that started the step commits, and
 * again from a periodic sweep, so a crash between the two never leaves a tenant stuck.
 */
@ApplicationScoped
public class TenantLifecycleWorker {

    private static final Logger LOG = Logger.getLogger(TenantLifecycleWorker.class);

    @Inject
    TenantService tenantService;

    @Inject
    TenantProvisioner provisioner;

    // A plain executor on purpose: a context-propagating one would carry the committed transaction along.
    private final ExecutorService executor = Executors.newSingleThreadExecutor(Thread.ofPlatform()
            .name("tenant-lifecycle").daemon().factory());

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    void onRequested(@Observes(during = TransactionPhase.AFTER_SUCCESS) TenantLifecycleRequested request) {
        executor.execute(() -> advance(request.tenantId()));
    }

    @Scheduled(every = "${atrium.tenants.lifecycle-sweep:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        tenantService.pendingLifecycle().forEach(this::advance);
    }

    private void advance(UUID tenantId) {
        try {
            tenantService.completeLifecycleStep(tenantId, provisioner);
        } catch (RuntimeException e) {
            LOG.errorf(e, "lifecycle step for tenant %s failed; the sweep will retry", tenantId);
        }
    }
}
