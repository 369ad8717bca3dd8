package dev.atrium.dataplane.gateway;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

import dev.atrium.contract.LatencyBuckets;
import dev.atrium.contract.RolloutReport;
import dev.atrium.contract.RolloutStates;
import dev.atrium.contract.VersionSample;
import dev.atrium.dataplane.controlplane.ControlPlaneClient;
import dev.atrium.dataplane.upstream.Route;

/**
 * What each version of a deployment under a rollout served here: calls, failures, guardrail blocks and a latency
 * histogram per (tenant, rollout, step, version), reported to the control plane every report interval, which judges
 * the rollout on the sum over all data planes. The answer lists the tenant's running rollouts; when that is not what
 * this data plane holds (a rollback, a new step, a promotion), the tenant's deployments are read again at once.
 */
@ApplicationScoped
public class RolloutMeter {

    private static final Logger LOG = Logger.getLogger(RolloutMeter.class);
    /** Samples kept for a tenant while the control plane cannot take them (oldest steps are dropped past it). */
    private static final int MAX_SERIES_PER_TENANT = 200;

    record Series(String deployment, UUID rolloutId, int step, String version, String role) {
    }

    /** One series' counts since the last report; updated and drained under its lock, so a sample is consistent. */
    static final class Counts {
        private long requests;
        private long errors;
        private long blocks;
        private final long[] latency = new long[LatencyBuckets.SIZE];

        synchronized void served(long millis, boolean failed) {
            requests++;
            if (failed) {
                errors++;
            }
            latency[LatencyBuckets.bucketOf(millis)]++;
        }

        /** A request blocked before it reached the version: counted, with no latency. */
        synchronized void blocked() {
            requests++;
            blocks++;
        }

        /** A request already counted whose answer was blocked. */
        synchronized void answerBlocked() {
            blocks++;
        }

        synchronized VersionSample drain(Series series) {
            List<Long> histogram = new ArrayList<>(latency.length);
            for (int i = 0; i < latency.length; i++) {
                histogram.add(latency[i]);
                latency[i] = 0;
            }
            VersionSample sample = new VersionSample(series.deployment(), series.rolloutId(), series.step(), series.version(),
                    series.role(), requests, errors, blocks, histogram);
            requests = 0;
            errors = 0;
            blocks = 0;
            return sample;
        }

        synchronized void restore(VersionSample sample) {
            requests += sample.requests();
            errors += sample.errors();
            blocks += sample.guardrailBlocks();
            for (int i = 0; i < latency.length; i++) {
                latency[i] += sample.latencyMs().get(i);
            }
        }
    }

    private final Map<UUID, Map<Series, Counts>> byTenant = new ConcurrentHashMap<>();
    /**
     * A tenant's report whose answer never came (the control plane may have taken it): sent again, with its id, before
     * anything newer is drained, so the control plane can count it once.
     */
    private final Map<UUID, Unanswered> unanswered = new ConcurrentHashMap<>();
    /**
     * How long an unanswered report is sent again before it is dropped: far less than the control plane remembers
     * report ids (an hour), so a report it took is never counted twice, and a control plane failing on one report
     * cannot hold back the newer ones for long.
     */
    static final java.time.Duration UNANSWERED_KEPT = java.time.Duration.ofMinutes(10);

    private record Unanswered(RolloutReport report, java.time.Instant since) {
    }

    java.time.Clock clock = java.time.Clock.systemUTC();

    @Inject
    ControlPlaneClient controlPlane;

    @Inject
    TenantDeployments deployments;

    /** A call of {@code route} (a side of a rollout) finished after {@code millis}; {@code failed}: the backend failed. */
    void served(UUID tenantId, Route route, long millis, boolean failed) {
        counts(tenantId, route).ifPresent(counts -> counts.served(millis, failed));
    }

    /** A guardrail blocked a request of {@code route} before anything was sent to it. */
    void blocked(UUID tenantId, Route route) {
        counts(tenantId, route).ifPresent(Counts::blocked);
    }

    /** A guardrail blocked the answer of a call of {@code route} already counted by {@link #served}. */
    void answerBlocked(UUID tenantId, Route route) {
        counts(tenantId, route).ifPresent(Counts::answerBlocked);
    }

    private java.util.Optional<Counts> counts(UUID tenantId, Route route) {
        if (route == null || route.arm() == null) {
            return java.util.Optional.empty();
        }
        Map<Series, Counts> series = byTenant.computeIfAbsent(tenantId, t -> new ConcurrentHashMap<>());
        if (series.size() >= MAX_SERIES_PER_TENANT) {
            return java.util.Optional.empty();
        }
        Route.Arm arm = route.arm();
        return java.util.Optional.of(series.computeIfAbsent(new Series(route.name(), arm.rolloutId(), arm.step(), route.version(),
                arm.role()), s -> new Counts()));
    }

    @Scheduled(every = "${atrium.deployments.rollout-report-interval:5s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void report() {
        Set<UUID> tenants = new HashSet<>(byTenant.keySet());
        tenants.addAll(deployments.tenantsWithRollouts());
        tenants.addAll(unanswered.keySet());
        for (UUID tenantId : tenants) {
            report(tenantId);
        }
    }

    /**
     * Reports one tenant's samples. Refused with 429, they go back into the counts for the next report; without an
     * answer (the control plane may have taken them), the same report, with its id, is sent again first.
     */
    void report(UUID tenantId) {
        Map<Series, Counts> series = byTenant.getOrDefault(tenantId, Map.of());
        Unanswered waiting = unanswered.get(tenantId);
        if (waiting != null && waiting.since().plus(UNANSWERED_KEPT).isBefore(clock.instant())) {
            unanswered.remove(tenantId);
            LOG.warnf("rollout report %s for tenant %s got no answer for %s; its samples are dropped", waiting.report().reportId(),
                    tenantId, UNANSWERED_KEPT);
            waiting = null;
        }
        RolloutReport again = waiting == null ? null : waiting.report();
        Map<Series, VersionSample> samples = new HashMap<>();
        if (again == null) {
            series.forEach((key, counts) -> {
                VersionSample sample = counts.drain(key);
                if (sample.requests() > 0) {
                    samples.put(key, sample);
                }
            });
        }
        RolloutReport report = again != null ? again : new RolloutReport(UUID.randomUUID(), List.copyOf(samples.values()));
        RolloutStates states;
        try {
            states = controlPlane.reportRollouts(tenantId, report);
            unanswered.remove(tenantId);
        } catch (ControlPlaneClient.RefusedException refused) {
            if (refused.status() == 429) {
                // not taken: its samples join the next report (an unanswered one waits to be sent again as it is)
                samples.forEach((key, sample) -> series.get(key).restore(sample));
                return;
            }
            // the control plane will not take them (the tenant moved away, a sample it judges malformed): dropped
            unanswered.remove(tenantId);
            LOG.warnf("rollout report for tenant %s refused (%d): %s; its samples are dropped", tenantId, refused.status(),
                    refused.getMessage());
            return;
        } catch (ControlPlaneClient.UnreachableException e) {
            unanswered.putIfAbsent(tenantId, new Unanswered(report, clock.instant()));
            LOG.debugf("rollout report %s for tenant %s got no answer (%s); it is sent again", report.reportId(), tenantId,
                    e.getMessage());
            return;
        }
        Set<RolloutStates.Running> running = Set.copyOf(states.running());
        // series of steps that are over are done with
        series.keySet().removeIf(key -> running.stream().noneMatch(r -> r.rolloutId().equals(key.rolloutId()) && r.step() == key.step()));
        if (series.isEmpty()) {
            byTenant.remove(tenantId);
        }
        if (!running.equals(deployments.heldRollouts(tenantId))) {
            deployments.rolloutsChanged(tenantId, !running.isEmpty());
        }
    }
}
