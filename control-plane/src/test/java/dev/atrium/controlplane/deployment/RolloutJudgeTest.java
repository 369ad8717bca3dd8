package dev.atrium.controlplane.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The rollout judge as a pure function: breaches, the traffic a judgement needs, dwell times, the last step. */
class RolloutJudgeTest {

    private static final Instant STEP_START = Instant.parse("2026-11-29T10:00:00Z");

    private static Rollout rollout(String strategy, int step, List<Rollout.Step> steps, Rollout.Slo slo) {
        return new Rollout(UUID.randomUUID(), "bot", strategy, "1", "2", new Deployment.Upstream("https://203.0.113.1/v1", null, null, 60),
                steps, null, slo, Rollout.RUNNING, step, STEP_START, STEP_START, "test", null, null, null, 0);
    }

    /** {@code requests} calls, {@code errors} failed, {@code blocks} blocked, all in latency bucket {@code bucket}. */
    private static RolloutRepository.Totals candidate(long requests, long errors, long blocks, int bucket) {
        List<Long> latency = new ArrayList<>(Collections.nCopies(26, 0L));
        latency.set(bucket, requests);
        return new RolloutRepository.Totals("2", "candidate", requests, errors, blocks, latency);
    }

    private static final List<Rollout.Step> TWO_STEPS = List.of(new Rollout.Step(10, 60), new Rollout.Step(100, 60));
    private static final Rollout.Slo SLO = new Rollout.Slo(0.05, 1000L, 0.2, 20, 60);

    @Test
    void eachSloIsABreachOnlyOnceEnoughRequestsWereServed() {
        Rollout canary = rollout(Rollout.CANARY, 0, TWO_STEPS, SLO);
        Instant early = STEP_START.plusSeconds(5);

        assertThat(RolloutJudge.judge(canary, candidate(19, 19, 0, 0), null, early).action())
                .as("19 failures of 19: too few to judge").isEqualTo(RolloutJudge.Action.HOLD);
        RolloutJudge.Verdict errors = RolloutJudge.judge(canary, candidate(20, 2, 0, 0), null, early);
        assertThat(errors.action()).isEqualTo(RolloutJudge.Action.ROLLBACK);
        assertThat(errors.reason()).isEqualTo("error rate 10.0% over the last 60 s (2 of 20 requests) is above the SLO's 5.0%");
        assertThat(RolloutJudge.judge(canary, candidate(20, 1, 0, 0), null, early).action())
                .as("exactly 5% keeps the SLO").isEqualTo(RolloutJudge.Action.HOLD);
        // bucket 13 is 1500 ms: above 1000
        assertThat(RolloutJudge.judge(canary, candidate(20, 0, 0, 13), null, early).reason())
                .isEqualTo("p95 latency of 1500 ms over the last 60 s is above the SLO's 1000 ms");
        assertThat(RolloutJudge.judge(canary, candidate(20, 0, 0, 12), null, early).action()).isEqualTo(RolloutJudge.Action.HOLD);
        assertThat(RolloutJudge.judge(canary, candidate(20, 0, 0, 25), null, early).reason())
                .isEqualTo("p95 latency beyond 120000 ms over the last 60 s is above the SLO's 1000 ms");
        assertThat(RolloutJudge.judge(canary, candidate(20, 0, 5, 0), null, early).reason())
                .isEqualTo("guardrail block rate 25.0% over the last 60 s is above the SLO's 20.0%");
        Rollout unbounded = rollout(Rollout.CANARY, 0, TWO_STEPS, new Rollout.Slo(0.05, null, null, 20, 60));
        assertThat(RolloutJudge.judge(unbounded, candidate(20, 0, 20, 25), null, early).action())
                .as("thresholds left unset are not judged").isEqualTo(RolloutJudge.Action.HOLD);
    }

    @Test
    void aCanaryAdvancesAfterItsDwellWithEnoughTrafficAndIsPromotedFromItsLastStep() {
        Rollout first = rollout(Rollout.CANARY, 0, TWO_STEPS, SLO);
        assertThat(RolloutJudge.judge(first, candidate(50, 0, 0, 0), candidate(50, 0, 0, 0), STEP_START.plusSeconds(59)).action())
                .isEqualTo(RolloutJudge.Action.HOLD);
        RolloutJudge.Verdict waiting = RolloutJudge.judge(first, candidate(5, 0, 0, 0), candidate(5, 0, 0, 0), STEP_START.plusSeconds(60));
        assertThat(waiting.action()).isEqualTo(RolloutJudge.Action.HOLD);
        assertThat(waiting.reason()).isEqualTo("waiting for traffic: the candidate served 5 of the 20 requests a step needs");
        assertThat(RolloutJudge.judge(first, candidate(5, 0, 0, 0), candidate(20, 0, 0, 0), STEP_START.plusSeconds(60)).action())
                .isEqualTo(RolloutJudge.Action.ADVANCE);
        Rollout last = rollout(Rollout.CANARY, 1, TWO_STEPS, SLO);
        RolloutJudge.Verdict promote = RolloutJudge.judge(last, null, candidate(20, 0, 0, 0), STEP_START.plusSeconds(61));
        assertThat(promote.action()).isEqualTo(RolloutJudge.Action.PROMOTE);
        assertThat(promote.reason()).isEqualTo("step 2 at 100% held its SLOs for 61 s over 20 requests");
        // a quiet deployment that never fills the window is judged on the whole step before it moves on
        RolloutJudge.Verdict quiet = RolloutJudge.judge(last, candidate(5, 0, 0, 0), candidate(25, 25, 0, 0), STEP_START.plusSeconds(61));
        assertThat(quiet.action()).isEqualTo(RolloutJudge.Action.ROLLBACK);
        assertThat(quiet.reason()).isEqualTo("error rate 100.0% over step 2 (25 of 25 requests) is above the SLO's 5.0%");
        // a breach wins over a finished dwell
        assertThat(RolloutJudge.judge(last, candidate(20, 20, 0, 0), candidate(40, 20, 0, 0), STEP_START.plusSeconds(61)).action())
                .isEqualTo(RolloutJudge.Action.ROLLBACK);
    }

    @Test
    void abSplitsAndShadowsNeverMoveOnTheirOwnButRollBackOnABreach() {
        for (String strategy : List.of(Rollout.AB, Rollout.SHADOW)) {
            Rollout held = rollout(strategy, 0, List.of(new Rollout.Step(50, 0)), SLO);
            assertThat(RolloutJudge.judge(held, candidate(500, 0, 0, 0), candidate(5000, 0, 0, 0), STEP_START.plusSeconds(86_400))
                    .action()).isEqualTo(RolloutJudge.Action.HOLD);
            assertThat(RolloutJudge.judge(held, candidate(500, 100, 0, 0), null, STEP_START.plusSeconds(1)).action())
                    .isEqualTo(RolloutJudge.Action.ROLLBACK);
        }
    }
}
