package dev.atrium.dataplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.common.DataPlaneConfig;

/**
 * An address that keeps presenting credentials nobody can verify runs out of budget (and the filter then answers 429
 * before the control plane is asked) while other addresses keep theirs; the budget refills with time. The clock is
 * a counter moved by the test.
 */
class UnverifiedSourcesTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final UnverifiedSources sources = new UnverifiedSources(new DataPlaneConfig.Unverified() {
        public int requestsPerSecond() {
            return 1;
        }

        public int burst() {
            return 5;
        }
    }, now::get);

    @Test
    void anAddressIsOverBudgetAfterItsBurstOfFailuresAndOnlyThatAddress() {
        assertThat(sources.overBudget("203.0.113.7")).isFalse();
        for (int i = 0; i < 4; i++) {
            sources.failed("203.0.113.7");
        }
        assertThat(sources.overBudget("203.0.113.7")).as("4 failures of a burst of 5").isFalse();
        sources.failed("203.0.113.7");
        assertThat(sources.overBudget("203.0.113.7")).isTrue();
        assertThat(sources.overBudget("198.51.100.1")).isFalse();
        assertThat(sources.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void theBudgetRefillsAtTheConfiguredRate() {
        for (int i = 0; i < 5; i++) {
            sources.failed("203.0.113.8");
        }
        assertThat(sources.overBudget("203.0.113.8")).isTrue();
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1_100));
        assertThat(sources.overBudget("203.0.113.8")).isFalse();
        sources.failed("203.0.113.8");
        assertThat(sources.overBudget("203.0.113.8")).isTrue();
    }
}
