package dev.atrium.controlplane.idempotency;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.quarkus.scheduler.Scheduled;

import dev.atrium.controlplane.common.AtriumConfig;

/** Forgets stored idempotent responses after the configured retention (24 h by default, as Stripe does). */
@ApplicationScoped
public class IdempotencyRecordCleaner {

    @Inject
    EntityManager entityManager;

    @Inject
    AtriumConfig config;

    @Scheduled(every = "1h", delayed = "1m")
    @Transactional
    void purgeExpired() {
        entityManager.createNativeQuery("DELETE FROM idempotency_record WHERE created_at < ?1")
                .setParameter(1, Instant.now().minus(config.idempotency().retention()))
                .executeUpdate();
    }
}
