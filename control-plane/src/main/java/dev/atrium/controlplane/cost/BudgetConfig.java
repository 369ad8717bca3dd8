package dev.atrium.controlplane.cost;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code atrium.budgets.*}: how often budgets are checked for alerts to raise. */
@ConfigMapping(prefix = "atrium.budgets")
public interface BudgetConfig {

    /** Between two checks of every budget's thresholds; an alert is raised at most this long after its threshold is reached. */
    @WithDefault("30s")
    Duration evaluationInterval();
}
