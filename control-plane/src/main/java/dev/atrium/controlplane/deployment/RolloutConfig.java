package dev.atrium.controlplane.deployment;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code atrium.rollouts.*}: how often the rollout controller judges running rollouts and compacts their samples. */
@ConfigMapping(prefix = "atrium.rollouts")
public interface RolloutConfig {

    /**
     * Between two judgements of every running rollout; a breach rolls back within one interval of the data planes'
     * report carrying it (they report every 5 s, or {@code atrium.rollouts.report-interval} of the data plane).
     */
    @WithDefault("10s")
    Duration evaluationInterval();

    /**
     * How often running rollouts' older samples (past their SLO window plus two minutes) are merged into one row per
     * step, version and data plane region, so a long A/B split or shadow keeps few rows.
     */
    @WithDefault("1m")
    Duration compactionInterval();
}
