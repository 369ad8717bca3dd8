package dev.atrium.controlplane.deployment;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.atrium.contract.LatencyBuckets;

/**
 * Judges a running rollout from what data planes measured: a pure function of the rollout, the candidate's totals
 * over the SLO window and over the whole step, and the time. A breach of any SLO rolls back; a canary whose step has
 * lasted its dwell time, with enough requests and no breach, advances (or, from its last step, is promoted). An A/B
 * split and a shadow never move on their own: only a breach ends them without a person.
 */
public final class RolloutJudge {

    public enum Action { HOLD, ADVANCE, PROMOTE, ROLLBACK }

    public record Verdict(Action action, String reason) {
        static Verdict hold(String reason) {
            return new Verdict(Action.HOLD, reason);
        }
    }

    private RolloutJudge() {
    }

    public static Verdict judge(Rollout rollout, RolloutRepository.Totals window, RolloutRepository.Totals step, Instant now) {
        Rollout.Slo slo = rollout.slo();
        Optional<String> breach = breach(slo, window);
        if (breach.isPresent()) {
            return new Verdict(Action.ROLLBACK, breach.get());
        }
        if (!Rollout.CANARY.equals(rollout.strategy())) {
            return Verdict.hold("within its SLOs; an " + rollout.strategy() + " rollout ends when a person promotes or rolls it back");
        }
        Duration dwell = Duration.ofSeconds(rollout.currentStep().dwellSeconds());
        Duration lasted = Duration.between(rollout.stepStartedAt(), now);
        if (lasted.compareTo(dwell) < 0) {
            return Verdict.hold("step " + (rollout.step() + 1) + " lasts " + dwell.toSeconds() + " s");
        }
        long served = step == null ? 0 : step.requests();
        // a quiet deployment may never fill the window: the whole step must hold the SLOs before it moves on
        Optional<String> stepBreach = breach(slo, step);
        if (stepBreach.isPresent()) {
            return new Verdict(Action.ROLLBACK, stepBreach.get().replace("over the last " + slo.windowSeconds() + " s",
                    "over step " + (rollout.step() + 1)));
        }
        if (served < slo.minRequests()) {
            return Verdict.hold("waiting for traffic: the candidate served " + served + " of the " + slo.minRequests()
                    + " requests a step needs");
        }
        String evidence = "step " + (rollout.step() + 1) + " at " + rollout.currentStep().weight() + "% held its SLOs for "
                + lasted.toSeconds() + " s over " + served + " requests";
        return new Verdict(rollout.lastStep() ? Action.PROMOTE : Action.ADVANCE, evidence);
    }

    /** The first SLO the candidate breaks over the window, once it has served enough requests there to be judged. */
    static Optional<String> breach(Rollout.Slo slo, RolloutRepository.Totals window) {
        if (window == null || window.requests() < slo.minRequests()) {
            return Optional.empty();
        }
        double errorRate = (double) window.errors() / window.requests();
        if (slo.maxErrorRate() != null && errorRate > slo.maxErrorRate()) {
            return Optional.of(String.format(Locale.ROOT, "error rate %.1f%% over the last %d s (%d of %d requests) is above the SLO's %.1f%%",
                    100 * errorRate, slo.windowSeconds(), window.errors(), window.requests(), 100 * slo.maxErrorRate()));
        }
        Long p95 = LatencyBuckets.quantile(window.latencyMs(), 0.95);
        if (slo.maxP95LatencyMs() != null && p95 != null && p95 > slo.maxP95LatencyMs()) {
            return Optional.of(String.format(Locale.ROOT, "p95 latency %s over the last %d s is above the SLO's %d ms",
                    p95 == Long.MAX_VALUE ? "beyond " + LatencyBuckets.BOUNDS_MS.getLast() + " ms" : "of " + p95 + " ms",
                    slo.windowSeconds(), slo.maxP95LatencyMs()));
        }
        double blockRate = (double) window.guardrailBlocks() / window.requests();
        if (slo.maxGuardrailBlockRate() != null && blockRate > slo.maxGuardrailBlockRate()) {
            return Optional.of(String.format(Locale.ROOT, "guardrail block rate %.1f%% over the last %d s is above the SLO's %.1f%%",
                    100 * blockRate, slo.windowSeconds(), 100 * slo.maxGuardrailBlockRate()));
        }
        return Optional.empty();
    }

    /** The API's view of a version's totals. */
    static Rollout.VersionMetrics metrics(RolloutRepository.Totals totals) {
        long requests = totals.requests();
        return new Rollout.VersionMetrics(totals.version(), totals.role(), requests, totals.errors(), totals.guardrailBlocks(),
                requests == 0 ? null : (double) totals.errors() / requests, LatencyBuckets.quantile(totals.latencyMs(), 0.95),
                requests == 0 ? null : (double) totals.guardrailBlocks() / requests);
    }

    static List<Rollout.VersionMetrics> metrics(List<RolloutRepository.Totals> totals) {
        return totals.stream().map(RolloutJudge::metrics).toList();
    }
}
