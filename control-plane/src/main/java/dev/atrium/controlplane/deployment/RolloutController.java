package dev.atrium.controlplane.deployment;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

/**
 * Judges every running rollout once per evaluation interval ({@code atrium.rollouts.evaluation-interval}), each in
 * its own transaction, so one failing judgement delays no other. Several control plane instances may run this: a
 * rollout another one is judging is skipped.
 */
@ApplicationScoped
public class RolloutController {

    private static final Logger LOG = Logger.getLogger(RolloutController.class);
    /** How long a report's id is remembered: far longer than a data plane keeps a report it could not deliver. */
    static final java.time.Duration RECEIPTS_KEPT = java.time.Duration.ofHours(1);

    @Inject
    RolloutRepository rollouts;

    @Inject
    RolloutService service;

    @Inject
    RolloutConfig config;

    private volatile java.time.Instant lastCompaction = java.time.Instant.EPOCH;

    void onStart(@Observes StartupEvent started) {
        LOG.infof("judging running rollouts every %s", config.evaluationInterval());
    }

    @Scheduled(every = "${atrium.rollouts.evaluation-interval:10s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void evaluate() {
        try {
            rollouts.forgetReceiptsBefore(java.time.Instant.now().minus(RECEIPTS_KEPT));
        } catch (RuntimeException e) {
            LOG.warnf("old rollout report receipts could not be removed: %s", e.getMessage());
        }
        boolean compact = lastCompaction.plus(config.compactionInterval()).isBefore(java.time.Instant.now());
        for (UUID id : rollouts.allRunning()) {
            try {
                service.judge(id);
            } catch (RuntimeException e) {
                LOG.errorf(e, "judging rollout %s failed; the next evaluation retries", id);
            }
            if (compact) {
                try {
                    service.compactSamples(id);
                } catch (RuntimeException e) {
                    LOG.warnf("compacting the samples of rollout %s failed; the next compaction retries: %s", id, e.getMessage());
                }
            }
        }
        if (compact) {
            lastCompaction = java.time.Instant.now();
        }
    }
}
