package dev.atrium.compliance.modelcard;

import java.util.ArrayList;
import java.util.List;

/** The fields a model card must have before it can be submitted for review, reported all at once. */
public final class ModelCardValidator {

    private ModelCardValidator() {
    }

    /** A missing or invalid field, by its JSON path in the card. */
    public record Violation(String field, String message) {
    }

    public static List<Violation> validate(ModelCard card) {
        List<Violation> violations = new ArrayList<>();
        if (card == null) {
            violations.add(new Violation("card", "a model card is required"));
            return violations;
        }
        ModelCard.Details details = card.details();
        if (details == null || blank(details.description())) {
            violations.add(new Violation("details.description", "describe the model"));
        }
        if (details == null || details.owners() == null || details.owners().isEmpty()
                || details.owners().stream().anyMatch(o -> o == null || blank(o.name()) || blank(o.contact()))) {
            violations.add(new Violation("details.owners", "at least one owner, each with a name and a contact"));
        }
        if (details == null || blank(details.license())) {
            violations.add(new Violation("details.license", "the licence (an SPDX id such as Apache-2.0, or 'proprietary')"));
        }
        ModelCard.IntendedUse use = card.intendedUse();
        if (use == null || empty(use.primaryUses())) {
            violations.add(new Violation("intendedUse.primaryUses", "at least one intended use"));
        }
        if (use == null || empty(use.outOfScopeUses())) {
            violations.add(new Violation("intendedUse.outOfScopeUses", "at least one out-of-scope use"));
        }
        ModelCard.TrainingData training = card.trainingData();
        if (training == null || ((training.datasets() == null || training.datasets().isEmpty()) && blank(training.preprocessing()))) {
            violations.add(new Violation("trainingData", "the training datasets (or, when unknown, say so in preprocessing)"));
        }
        if (card.evaluationResults() == null || card.evaluationResults().isEmpty()) {
            violations.add(new Violation("evaluationResults", "at least one evaluation result"));
        } else {
            for (int i = 0; i < card.evaluationResults().size(); i++) {
                ModelCard.EvaluationResult result = card.evaluationResults().get(i);
                if (result == null || blank(result.metric()) || blank(result.dataset())
                        || Double.isNaN(result.value()) || Double.isInfinite(result.value())) {
                    violations.add(new Violation("evaluationResults[" + i + "]", "metric, a finite value and dataset are required"));
                }
            }
        }
        if (empty(card.limitations())) {
            violations.add(new Violation("limitations", "at least one known limitation"));
        }
        if (card.ethicalConsiderations() == null || card.ethicalConsiderations().isEmpty()
                || card.ethicalConsiderations().stream().anyMatch(e -> e == null || blank(e.risk()) || blank(e.mitigation()))) {
            violations.add(new Violation("ethicalConsiderations", "at least one risk, each with its mitigation"));
        }
        return violations;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static boolean empty(List<String> values) {
        return values == null || values.stream().allMatch(ModelCardValidator::blank);
    }
}
