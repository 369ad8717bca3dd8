package dev.atrium.controlplane.model;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import dev.atrium.compliance.modelcard.ModelCard;

/** Request bodies of the model registry. */
public final class ModelRequests {

    private ModelRequests() {
    }

    /** {@code POST .../models}. */
    public record CreateModel(
            @NotBlank(message = "name is required") @Size(max = 100)
            @Pattern(regexp = "[a-z0-9][a-z0-9._-]*", message = "lower-case letters, digits, '.', '_' and '-'") String name,
            @NotNull(message = "type is required (llm, embedding, reranker, classifier)") ModelType type,
            @Size(max = 200) String provider,
            @Size(max = 2000) String description) {
    }

    /** {@code PATCH .../models/{name}}. */
    public record UpdateModel(@Size(max = 200) String provider, @Size(max = 2000) String description) {
    }

    /** GPU needs of a version (type and count; 0 for CPU). */
    public record Hardware(@Size(max = 50) String gpuType, @PositiveOrZero Integer gpuCount) {
    }

    /** {@code POST .../versions}: a new DRAFT version. */
    public record CreateVersion(
            @NotBlank(message = "version is required") @Size(max = 50)
            @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*", message = "letters, digits, '.', '_' and '-'") String version,
            @NotBlank(message = "artifactUri is required (a model artifact or an endpoint URI)") @Size(max = 1000) String artifactUri,
            @Size(max = 100) String servingRuntime,
            @Valid Hardware hardware,
            ModelCard card) {
    }

    /** {@code PATCH .../versions/{version}} while DRAFT or REJECTED. */
    public record UpdateVersion(@Size(max = 1000) String artifactUri, @Size(max = 100) String servingRuntime,
                                @Valid Hardware hardware, ModelCard card) {
    }

    /** {@code :approve} and {@code :reject}: the reviewer's reasoning, kept with the version and in the audit trail. */
    public record Review(@NotBlank(message = "comment is required") @Size(max = 2000) String comment) {
    }

    /**
     * {@code POST .../evaluations}: results to add to the card, either as card entries or as the report
     * {@code make eval ... REPORT=out.json} writes ({@code results} per search mode).
     */
    public record Evaluations(List<ModelCard.EvaluationResult> results, Map<String, Object> report) {
    }
}
