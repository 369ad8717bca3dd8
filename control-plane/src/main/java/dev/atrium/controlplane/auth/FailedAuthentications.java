package dev.atrium.controlplane.auth;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.scheduler.Scheduled;

import dev.atrium.controlplane.common.AtriumConfig;
import dev.atrium.controlplane.common.RequestMetadata;
import dev.atrium.controlplane.identity.ActorType;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;
import dev.atrium.tenancy.TokenBucket;

/**
 * Failed and missing authentications, kept cheap for an attacker to cause and cheap for the audit trail to absorb.
 * The first failure of a source address within a minute is audited at once (in the chain it concerns); the rest of
 * that minute are counted and written as one {@code auth.failed.repeated} (or {@code auth.missing.repeated}) event
 * with the count, so a flood of bad
 * credentials costs one append per source per minute instead of one per request. Each source address also has a
 * budget of failed and missing authentications ({@code atrium.rate-limit.unauthenticated.*}); past it, such requests
 * get 429 instead of 401 and nothing more is written. Valid credentials from the same address keep working (an
 * office behind one address is not locked out by one client).
 */
@ApplicationScoped
public class FailedAuthentications {

    /** Windows kept at once; further sources of a chain share one overflow window. */
    static final int MAX_WINDOWS = 10_000;
    private static final String OVERFLOW_SOURCE = "*";

    @Inject
    AuditTrail auditTrail;

    @Inject
    AtriumConfig config;

    private final ConcurrentHashMap<String, TokenBucket> budgets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<WindowKey, Window> windows = new ConcurrentHashMap<>();

    private record WindowKey(UUID tenantId, String source, String action) {
    }

    private static final class Window {
        final Instant opened = Instant.now();
        final Map<String, Long> suppressed = new LinkedHashMap<>();
        String lastActor;

        synchronized void count(String reason, String actor) {
            if (suppressed.size() < 20 || suppressed.containsKey(reason)) {
                suppressed.merge(reason, 1L, Long::sum);
            } else {
                suppressed.merge("other", 1L, Long::sum);
            }
            lastActor = actor;
        }

        synchronized long total() {
            return suppressed.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Records a refused credential; {@code tenantId} is set when the credential was found (a revoked key). */
    public void failed(String actorId, ActorType actorType, UUID tenantId, String reason, RequestMetadata request) {
        record(AuditEntry.failure("auth.failed", reason), actorId, actorType, tenantId, reason, request);
    }

    /**
     * Records a refusal of a credential a data plane asked about ({@code action}, e.g. {@code auth.token.introspect}),
     * aggregated like failed sign-ins: the first per tenant, asking source and minute at once, the rest counted.
     */
    public void refused(String action, String actorId, ActorType actorType, UUID tenantId, String reason, RequestMetadata request) {
        record(AuditEntry.denied(action, reason), actorId, actorType, tenantId, reason, request);
    }

    public void missingCredentials(RequestMetadata request) {
        record(AuditEntry.denied("auth.missing", "no credentials presented"), "anonymous", ActorType.ANONYMOUS, null,
                "no credentials presented", request);
    }

    private void record(AuditEntry first, String actorId, ActorType actorType, UUID tenantId, String reason,
                        RequestMetadata request) {
        String source = request == null || request.sourceIp() == null ? "unknown" : request.sourceIp();
        WindowKey key = new WindowKey(tenantId, source, first.action());
        if (!windows.containsKey(key) && windows.size() >= MAX_WINDOWS) {
            key = new WindowKey(tenantId, OVERFLOW_SOURCE, first.action());
        }
        boolean[] opened = {false};
        Window window = windows.computeIfAbsent(key, k -> {
            opened[0] = true;
            return new Window();
        });
        if (opened[0]) {
            auditTrail.recordIndependently(first.tenant(tenantId).actor(actorId, actorType).request(request));
        } else {
            window.count(reason, actorId);
        }
    }

    /**
     * Spends one unit of the source's budget of unauthenticated requests; true when it is exhausted (the caller
     * answers 429 and records nothing more).
     */
    public boolean overBudget(RequestMetadata request) {
        String source = request == null || request.sourceIp() == null ? "unknown" : request.sourceIp();
        AtriumConfig.RateLimit.Unauthenticated limit = config.rateLimit().unauthenticated();
        if (!budgets.containsKey(source) && budgets.size() >= MAX_WINDOWS) {
            source = OVERFLOW_SOURCE;
        }
        TokenBucket bucket = budgets.computeIfAbsent(source, s -> new TokenBucket(limit.burst(), System.nanoTime()));
        return bucket.tryTake(limit.requestsPerSecond(), limit.burst(), System.nanoTime()) > 0;
    }

    /** Seconds until a source past its budget may try again. */
    public long retryAfterSeconds() {
        return Math.max(1, (long) Math.ceil(1.0 / config.rateLimit().unauthenticated().requestsPerSecond()));
    }

    /** Writes the counts of every window that is a minute old, and forgets it. */
    @Scheduled(every = "${atrium.auth.failure-aggregation-flush:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flushDue() {
        flush(Instant.now().minusSeconds(60));
    }

    /** Flushes windows opened before {@code openedBefore}; returns how many summary events were written. */
    public int flush(Instant openedBefore) {
        int written = 0;
        for (Map.Entry<WindowKey, Window> entry : windows.entrySet()) {
            Window window = entry.getValue();
            if (window.opened.isBefore(openedBefore) && windows.remove(entry.getKey(), window)) {
                long total = window.total();
                if (total > 0) {
                    Map<String, Object> summary = new LinkedHashMap<>();
                    summary.put("count", total);
                    summary.put("reasons", window.suppressed);
                    summary.put("source", entry.getKey().source());
                    summary.put("windowStart", window.opened.toString());
                    summary.put("windowEnd", Instant.now().toString());
                    auditTrail.recordIndependently(AuditEntry.failure(entry.getKey().action() + ".repeated", total + " more "
                                    + entry.getKey().action() + " from " + entry.getKey().source() + " within a minute")
                            .tenant(entry.getKey().tenantId()).actor(window.lastActor, ActorType.ANONYMOUS)
                            .request(new RequestMetadata(null, entry.getKey().source().equals(OVERFLOW_SOURCE) ? null
                                    : entry.getKey().source(), null))
                            .after(summary));
                    written++;
                }
            }
        }
        long now = System.nanoTime();
        budgets.values().removeIf(bucket -> bucket.idleFor(now) > TimeUnit.MINUTES.toNanos(10));
        return written;
    }
}
