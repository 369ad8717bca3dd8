package dev.atrium.contract;

import java.util.List;

/**
 * The latency histogram data planes report per model version: counts of calls that took at most each bound (ms),
 * the last count being the calls slower than every bound. Fixed bounds make histograms from many data planes add up,
 * so a p95 across a region is exact to the bucket.
 */
public final class LatencyBuckets {

    /** Upper bounds in milliseconds; {@link #SIZE} counts, one more than bounds. */
    public static final List<Long> BOUNDS_MS = List.of(5L, 10L, 25L, 50L, 75L, 100L, 150L, 200L, 300L, 400L, 500L, 750L,
            1000L, 1500L, 2000L, 3000L, 4000L, 5000L, 7500L, 10_000L, 15_000L, 20_000L, 30_000L, 60_000L, 120_000L);
    public static final int SIZE = BOUNDS_MS.size() + 1;

    private LatencyBuckets() {
    }

    /** The bucket a call of {@code millis} counts in. */
    public static int bucketOf(long millis) {
        for (int i = 0; i < BOUNDS_MS.size(); i++) {
            if (millis <= BOUNDS_MS.get(i)) {
                return i;
            }
        }
        return BOUNDS_MS.size();
    }

    /**
     * The bound under which {@code quantile} of the counted calls fall (ms): the upper bound of the bucket holding that
     * rank; null when nothing was counted, and {@code Long.MAX_VALUE} when the rank is beyond every bound.
     */
    public static Long quantile(List<Long> counts, double quantile) {
        long total = counts.stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return null;
        }
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < counts.size(); i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return i < BOUNDS_MS.size() ? BOUNDS_MS.get(i) : Long.MAX_VALUE;
            }
        }
        return Long.MAX_VALUE;
    }
}
