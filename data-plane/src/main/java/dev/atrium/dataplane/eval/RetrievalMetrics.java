package dev.atrium.dataplane.eval;

import java.util.List;
import java.util.Map;

/** Standard ranking metrics over one query's ranked document ids and its graded relevance judgements. */
public final class RetrievalMetrics {

    private RetrievalMetrics() {
    }

    /** Share of the relevant documents found in the first k. */
    public static double recallAtK(List<String> ranked, Map<String, Integer> relevance, int k) {
        long relevant = relevance.values().stream().filter(score -> score > 0).count();
        if (relevant == 0) {
            return 0;
        }
        long found = ranked.stream().limit(k).filter(id -> relevance.getOrDefault(id, 0) > 0).count();
        return (double) found / relevant;
    }

    /** 1 / rank of the first relevant document within the first k, else 0. */
    public static double reciprocalRankAtK(List<String> ranked, Map<String, Integer> relevance, int k) {
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            if (relevance.getOrDefault(ranked.get(i), 0) > 0) {
                return 1.0 / (i + 1);
            }
        }
        return 0;
    }

    /** Normalised discounted cumulative gain with gain = relevance grade and discount log2(rank + 1). */
    public static double ndcgAtK(List<String> ranked, Map<String, Integer> relevance, int k) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            dcg += relevance.getOrDefault(ranked.get(i), 0) / log2(i + 2);
        }
        List<Integer> ideal = relevance.values().stream().filter(score -> score > 0).sorted((a, b) -> b - a).limit(k).toList();
        double idcg = 0;
        for (int i = 0; i < ideal.size(); i++) {
            idcg += ideal.get(i) / log2(i + 2);
        }
        return idcg == 0 ? 0 : dcg / idcg;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
