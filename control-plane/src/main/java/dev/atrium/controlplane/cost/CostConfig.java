package dev.atrium.controlplane.cost;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code atrium.cost.*}: the currency every price and cost is in. */
@ConfigMapping(prefix = "atrium.cost")
public interface CostConfig {

    /** ISO 4217 code of the platform's prices; every price book version uses it, so that costs add up. */
    @WithDefault("USD")
    String currency();
}
