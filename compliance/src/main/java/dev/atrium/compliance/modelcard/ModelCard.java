package dev.atrium.compliance.modelcard;

import java.util.List;

/**
 * A model card: the union of the Hugging Face model-card sections and Google's Model Card Toolkit schema, as one
 * JSON document per model version. Every list may be empty while a card is a draft; {@link ModelCardValidator}
 * says what a card needs before it can be reviewed.
 */
public record ModelCard(Details details, IntendedUse intendedUse, TrainingData trainingData,
                        List<EvaluationResult> evaluationResults, List<String> limitations,
                        List<EthicalConsideration> ethicalConsiderations, EnvironmentalImpact environmentalImpact) {

    /** Who owns the model, under which licence, and where to read more. */
    public record Details(String description, List<Owner> owners, String license, List<String> references, String citation) {
    }

    /** An owner (a team or a person) and how to reach them. */
    public record Owner(String name, String contact) {
    }

    /** What the model is for, who should use it, and what it must not be used for. */
    public record IntendedUse(List<String> primaryUses, List<String> primaryUsers, List<String> outOfScopeUses) {
    }

    /** The data the model was trained or tuned on, and how it was prepared. */
    public record TrainingData(List<Dataset> datasets, String preprocessing) {
    }

    /** A dataset with where to find it. */
    public record Dataset(String name, String link, String description) {
    }

    /** One measured result: metric, value, dataset and split (as the RAG evaluation harness reports them). */
    public record EvaluationResult(String metric, double value, String dataset, String split, String source) {
    }

    /** A risk and what mitigates it. */
    public record EthicalConsideration(String risk, String mitigation) {
    }

    /** Training footprint, as in the ML CO2 impact calculator. */
    public record EnvironmentalImpact(String hardwareType, Double hoursUsed, String cloudProvider, String computeRegion,
                                      Double carbonEmittedKgCo2eq) {
    }
}
