package dev.atrium.controlplane.member;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;
import org.keycloak.representations.idm.EventRepresentation;

import dev.atrium.controlplane.common.AtriumConfig;
import dev.atrium.controlplane.common.RequestMetadata;
import dev.atrium.controlplane.common.Timestamps;
import dev.atrium.controlplane.identity.ActorType;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;

/**
 * Copies Keycloak's failed logins (wrong password, locked account, bad client secret...) into the audit trail, so
 * that one trail shows every failed authentication, whichever door was knocked on. Each Keycloak event is recorded
 * once (its id is remembered in the same transaction as the audit event).
 */
@ApplicationScoped
public class LoginEventImporter {

    private static final Logger LOG = Logger.getLogger(LoginEventImporter.class);
    static final List<String> FAILURE_TYPES = List.of("LOGIN_ERROR", "CLIENT_LOGIN_ERROR", "CODE_TO_TOKEN_ERROR",
            "REFRESH_TOKEN_ERROR", "OAUTH2_DEVICE_CODE_TO_TOKEN_ERROR", "UPDATE_PASSWORD_ERROR", "RESET_PASSWORD_ERROR");

    @Inject
    AtriumConfig config;

    @Inject
    KeycloakAdmin keycloak;

    @Inject
    AuditTrail auditTrail;

    @Inject
    EntityManager entityManager;

    @Scheduled(every = "${atrium.iam.login-event-import:10s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void importRecent() {
        if (!config.iam().keycloak().enabled()) {
            return;
        }
        try {
            importFrom(watermark());
        } catch (RuntimeException e) {
            LOG.warnf("could not read login events from Keycloak: %s", e.getMessage());
        }
    }

    /** Imports failed-login events from {@code from} (a UTC day) on; returns how many were new. */
    public int importSince(LocalDate from) {
        return importFrom(from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
    }

    /**
     * Where the next run starts: just before the newest event already imported (events of the same millisecond
     * are told apart by id), or a day back on the first run. Without it every run would re-read the whole day.
     */
    private long watermark() {
        Object newest = QuarkusTransaction.requiringNew().call(() ->
                entityManager.createNativeQuery("SELECT max(occurred_at) FROM imported_login_event").getSingleResult());
        Instant from = newest == null ? Instant.now().minus(java.time.Duration.ofDays(1))
                : Timestamps.toInstant(newest).minusSeconds(1);
        return from.toEpochMilli();
    }

    private int importFrom(long fromEpochMillis) {
        List<EventRepresentation> events = keycloak.realm().getEvents(FAILURE_TYPES, null, null, fromEpochMillis,
                Instant.now().plusSeconds(60).toEpochMilli(), null, 0, 1000, "asc");
        int imported = 0;
        for (EventRepresentation event : events) {
            if (event.getId() != null && QuarkusTransaction.requiringNew().call(() -> record(event))) {
                imported++;
            }
        }
        return imported;
    }

    private boolean record(EventRepresentation event) {
        Instant occurred = Instant.ofEpochMilli(event.getTime()).truncatedTo(ChronoUnit.MICROS);
        int inserted = entityManager.createNativeQuery("""
                        INSERT INTO imported_login_event (event_id, occurred_at, imported_at) VALUES (?1, ?2, ?3)
                        ON CONFLICT DO NOTHING""")
                .setParameter(1, event.getId()).setParameter(2, occurred).setParameter(3, Instant.now())
                .executeUpdate();
        if (inserted == 0) {
            return false;
        }
        String username = event.getDetails() == null ? null : event.getDetails().get("username");
        String actor = event.getUserId() != null ? "user:" + event.getUserId()
                : username != null ? "username:" + username : "client:" + event.getClientId();
        auditTrail.record(AuditEntry.failure("auth.failed", "Keycloak " + event.getType() + ": " + event.getError())
                .actor(actor, event.getUserId() != null ? ActorType.USER : ActorType.ANONYMOUS)
                .resource("keycloak-event", event.getId())
                .after(Map.of("client", String.valueOf(event.getClientId()), "occurredAt", occurred.toString()))
                .request(new RequestMetadata("keycloak:" + event.getId(), event.getIpAddress(), null)));
        return true;
    }
}
