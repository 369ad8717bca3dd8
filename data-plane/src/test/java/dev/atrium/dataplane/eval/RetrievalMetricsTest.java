package dev.atrium.dataplane.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The metrics against values worked out by hand. */
class RetrievalMetricsTest {

    private static final List<String> RANKED = List.of("d3", "d1", "d7", "d2", "d9");
    private static final Map<String, Integer> RELEVANT = Map.of("d1", 1, "d2", 1, "d5", 1);

    @Test
    void recallCountsRelevantDocumentsInTheFirstK() {
        assertThat(RetrievalMetrics.recallAtK(RANKED, RELEVANT, 2)).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(RetrievalMetrics.recallAtK(RANKED, RELEVANT, 5)).isCloseTo(2.0 / 3, within(1e-9));
    }

    @Test
    void reciprocalRankIsOneOverTheFirstHit() {
        assertThat(RetrievalMetrics.reciprocalRankAtK(RANKED, RELEVANT, 10)).isEqualTo(0.5);
        assertThat(RetrievalMetrics.reciprocalRankAtK(RANKED, RELEVANT, 1)).isZero();
    }

    @Test
    void ndcgDiscountsByLogRank() {
        // DCG = 1/log2(3) + 1/log2(5) = 0.63093 + 0.43068; IDCG = 1 + 1/log2(3) + 1/log2(4) = 1 + 0.63093 + 0.5
        double expected = (0.6309297535714575 + 0.43067655807339306) / (1 + 0.6309297535714575 + 0.5);
        assertThat(RetrievalMetrics.ndcgAtK(RANKED, RELEVANT, 10)).isCloseTo(expected, within(1e-9));
        assertThat(RetrievalMetrics.ndcgAtK(List.of("d1", "d2", "d5"), RELEVANT, 10)).isCloseTo(1.0, within(1e-9));
    }
}
