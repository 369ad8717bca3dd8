package dev.atrium.dataplane.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.DataPlaneStack;
import dev.atrium.dataplane.embedding.EmbeddingModels;

/** The shipped US Constitution set through the real pipeline: a floor that a broken retriever would not reach. */
@DataPlaneStack
class RetrievalEvaluationTest {

    @Inject
    EmbeddingModels models;

    @Test
    void theUsConstitutionSetIsAnsweredWellByEveryMode() throws Exception {
        BeirDataset dataset = BeirDataset.load(Path.of("src/test/resources/eval/us-constitution"));
        assertThat(dataset.corpus()).hasSize(34);
        assertThat(dataset.queries()).hasSize(35);
        RetrievalEvaluation.Report report = RetrievalEvaluation.evaluate(dataset, models, EmbeddingModels.QUANTIZED);
        System.out.println(RetrievalEvaluation.table(report));
        for (RetrievalEvaluation.ModeResult result : report.results()) {
            assertThat(result.recallAt10()).as(result.mode()).isBetween(0.6, 1.0);
            assertThat(result.ndcgAt10()).as(result.mode()).isBetween(0.4, 1.0);
            assertThat(result.mrrAt10()).as(result.mode()).isLessThanOrEqualTo(1.0);
        }
        RetrievalEvaluation.ModeResult hybrid = report.results().stream().filter(r -> r.mode().equals("hybrid")).findFirst().orElseThrow();
        assertThat(hybrid.recallAt10()).isGreaterThanOrEqualTo(0.85);
    }
}
