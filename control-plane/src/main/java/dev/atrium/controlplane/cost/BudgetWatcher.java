package dev.atrium.controlplane.cost;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

/** Raises the budgets' due alerts every {@code atrium.budgets.evaluation-interval} (30 s). */
@ApplicationScoped
public class BudgetWatcher {

    private static final Logger LOG = Logger.getLogger(BudgetWatcher.class);

    @Inject
    BudgetService budgets;

    @Inject
    BudgetConfig config;

    void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent started) {
        LOG.infof("checking budgets for alerts every %s", config.evaluationInterval());
    }

    @Scheduled(every = "${atrium.budgets.evaluation-interval:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void watch() {
        try {
            budgets.watch(Instant.now());
        } catch (RuntimeException e) {
            LOG.errorf(e, "watching budgets failed; the next evaluation retries");
        }
    }
}
