package dev.atrium.contract;

/**
 * An APPROVED model version a data plane may serve to a tenant. {@code owner} is the tenant's id or
 * {@code platform}; {@code type} is {@code llm}, {@code embedding}, {@code reranker} or {@code classifier}.
 */
public record ServableModel(String owner, String model, String type, String version) {
}
