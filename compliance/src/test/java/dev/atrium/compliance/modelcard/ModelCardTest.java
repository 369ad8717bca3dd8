package dev.atrium.compliance.modelcard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ModelCardTest {

    static ModelCard complete() {
        return new ModelCard(
                new ModelCard.Details("A 7B chat model fine-tuned for support answers.",
                        List.of(new ModelCard.Owner("ML platform team", "ml-platform@example.com")), "Apache-2.0",
                        List.of("https://example.com/paper"), null),
                new ModelCard.IntendedUse(List.of("Answering product questions with citations"), List.of("Support agents"),
                        List.of("Medical or legal advice")),
                new ModelCard.TrainingData(List.of(new ModelCard.Dataset("support-tickets-2025", null, "anonymised tickets")), null),
                List.of(new ModelCard.EvaluationResult("nDCG@10", 0.942, "us-constitution", "test", "atrium eval")),
                List.of("English only"),
                List.of(new ModelCard.EthicalConsideration("May repeat personal data from documents", "PII redaction on answers")),
                null);
    }

    @Test
    void aCompleteCardHasNoViolations() {
        assertThat(ModelCardValidator.validate(complete())).isEmpty();
    }

    @Test
    void everyMissingRequiredFieldIsReportedAtOnce() {
        ModelCard empty = new ModelCard(null, null, null, null, null, null, null);
        assertThat(ModelCardValidator.validate(empty)).extracting(ModelCardValidator.Violation::field).containsExactly(
                "details.description", "details.owners", "details.license", "intendedUse.primaryUses",
                "intendedUse.outOfScopeUses", "trainingData", "evaluationResults", "limitations", "ethicalConsiderations");
        assertThat(ModelCardValidator.validate(null)).extracting(ModelCardValidator.Violation::field).containsExactly("card");
    }

    @Test
    void halfFilledEntriesAreViolationsToo() {
        ModelCard card = complete();
        ModelCard broken = new ModelCard(card.details(), card.intendedUse(), card.trainingData(),
                List.of(new ModelCard.EvaluationResult("recall@10", Double.NaN, "", "test", null)), List.of(" "),
                List.of(new ModelCard.EthicalConsideration("bias", "")), null);
        assertThat(ModelCardValidator.validate(broken)).extracting(ModelCardValidator.Violation::field)
                .containsExactly("evaluationResults[0]", "limitations", "ethicalConsiderations");
    }

    @Test
    void markdownHasTheSectionsAndEscapesUserText() {
        ModelCard card = complete();
        ModelCard hostile = new ModelCard(new ModelCard.Details("Line one\n# not a heading | <script>", card.details().owners(),
                card.details().license(), null, null), card.intendedUse(), card.trainingData(), card.evaluationResults(),
                card.limitations(), card.ethicalConsiderations(), card.environmentalImpact());
        String md = ModelCardMarkdown.render("support-llm", "3", "APPROVED", hostile);
        assertThat(md).startsWith("# Model card: support-llm 3\n").contains("Status: **APPROVED**")
                .contains("## Intended use", "## Training data", "## Evaluation results", "## Limitations", "## Ethical considerations")
                .contains("| nDCG@10 | 0.9420 | us-constitution | test | atrium eval |")
                .contains("Line one # not a heading \\| &lt;script&gt;")
                .doesNotContain("<script>").doesNotContain("\n# not a heading");
    }
}
