package dev.atrium.controlplane.deployment;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Traffic moving from a deployment's stable version to a candidate version served by its own backend
 * ({@code upstream}). {@code steps} say how much: for a {@code canary} the candidate's share of requests at each step
 * and how long each step lasts before the next; an {@code ab} split and a {@code shadow} have one step, held until a
 * person promotes or rolls back (the shadow's weight is the share of requests copied). Every step is judged against
 * {@code slo}; a breach rolls the rollout back.
 */
public record Rollout(UUID id, String deployment, String strategy, String stableVersion, String candidateVersion,
                      Deployment.Upstream upstream, List<Step> steps, String stickyBy, Slo slo, String state, int step,
                      Instant stepStartedAt, Instant startedAt, String startedBy, Instant endedAt, String endedBy,
                      String reason, @JsonIgnore long etag) {

    public static final String CANARY = "canary";
    public static final String AB = "ab";
    public static final String SHADOW = "shadow";

    public static final String RUNNING = "RUNNING";
    public static final String PROMOTED = "PROMOTED";
    public static final String ROLLED_BACK = "ROLLED_BACK";

    public boolean running() {
        return RUNNING.equals(state);
    }

    public Step currentStep() {
        return steps.get(step);
    }

    public boolean lastStep() {
        return step == steps.size() - 1;
    }

    /** @param weight the candidate's share of requests in percent (a shadow's: the share copied to it) */
    public record Step(int weight, int dwellSeconds) {
    }

    /**
     * What the candidate must keep to: at most {@code maxErrorRate} of its calls failed, a p95 latency of at most
     * {@code maxP95LatencyMs} and at most {@code maxGuardrailBlockRate} of its calls blocked (each null: not judged),
     * over the last {@code windowSeconds} of the step, judged once the candidate has served {@code minRequests} in that
     * window (and needed in the whole step before a canary advances).
     */
    public record Slo(Double maxErrorRate, Long maxP95LatencyMs, Double maxGuardrailBlockRate, int minRequests, int windowSeconds) {
    }

    /** A decision taken on the rollout, by a person or the rollout controller, and the measurements it was taken on. */
    public record Decision(Instant at, String action, int step, String actor, String reason, List<VersionMetrics> metrics) {
    }

    /** What data planes measured of one version over a span of the rollout. */
    public record VersionMetrics(String version, String role, long requests, long errors, long guardrailBlocks,
                                 Double errorRate, Long p95LatencyMs, Double guardrailBlockRate) {
    }

    /** {@code GET .../rollout}: the rollout, its versions' metrics live (the SLO window) and over the step, its decisions. */
    public record Status(Rollout rollout, List<VersionMetrics> window, List<VersionMetrics> currentStep, List<Decision> decisions) {
    }
}
