package dev.atrium.controlplane.model;

import java.time.Instant;

import dev.atrium.compliance.modelcard.ModelCard;

/** What the registry API returns. */
public final class ModelViews {

    private ModelViews() {
    }

    /** A model; {@code owner} is the tenant id, or {@code platform} for models every tenant sees. */
    public record Model(String owner, String name, ModelType type, String provider, String description, Instant createdAt,
                        String createdBy) {
    }

    /** A version with its card and review state. */
    public record Version(String owner, String model, String version, VersionStatus status, String artifactUri,
                          String servingRuntime, ModelRequests.Hardware hardware, ModelCard card, String reviewComment,
                          String reviewedBy, Instant reviewedAt, String submittedBy, Instant submittedAt, Instant createdAt,
                          String createdBy, Instant updatedAt) {
    }

    /** An APPROVED version a data plane may serve to a tenant. */
    public record Servable(String owner, String model, ModelType type, String version) {
    }
}
