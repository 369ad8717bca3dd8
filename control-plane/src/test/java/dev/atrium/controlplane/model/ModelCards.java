package dev.atrium.controlplane.model;

import java.util.List;
import java.util.Map;

/** Model-card bodies for tests: a complete one, and versions requests built around it. */
public final class ModelCards {

    private ModelCards() {
    }

    public static Map<String, Object> complete() {
        return Map.of(
                "details", Map.of("description", "A 7B chat model tuned for support answers.",
                        "owners", List.of(Map.of("name", "ML platform team", "contact", "ml@example.com")), "license", "Apache-2.0"),
                "intendedUse", Map.of("primaryUses", List.of("Answering product questions"), "outOfScopeUses", List.of("Medical advice")),
                "trainingData", Map.of("datasets", List.of(Map.of("name", "support-tickets-2025"))),
                "evaluationResults", List.of(Map.of("metric", "accuracy", "value", 0.91, "dataset", "support-qa", "split", "test")),
                "limitations", List.of("English only"),
                "ethicalConsiderations", List.of(Map.of("risk", "May repeat personal data", "mitigation", "PII redaction on answers")));
    }

    public static Map<String, Object> version(String version, Object card) {
        return Map.of("version", version, "artifactUri", "hf://acme/support-llm@" + version, "servingRuntime", "vllm",
                "hardware", Map.of("gpuType", "nvidia-l4", "gpuCount", 1), "card", card);
    }
}
