package dev.atrium.console.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/** The control plane's answers, as far as the console reads them (unknown fields are ignored). */
public final class Views {

    private Views() {
    }

    public record Page<T>(List<T> items, String nextCursor) {
    }

    public record Me(String id, String type, boolean platformAdmin, boolean platformComplianceOfficer,
                     List<TenantMembership> tenants, List<String> scopes) {
    }

    public record TenantMembership(UUID id, String slug, String displayName, String status, List<String> roles) {
        public boolean has(String role) {
            return roles.contains(role);
        }
    }

    public record Tenant(UUID id, String slug, String displayName, String plan, String residency, String status,
                         Instant createdAt, Instant updatedAt) {
    }

    /** A region where data planes run (GET /api/v1/platform/regions). */
    public record Region(String name, String zone, String endpoint, String kind, boolean schedulable, int placedTenants,
                         String status, String statusDetail, Kubernetes kubernetes) {

        /** GPUs of every pool, by type ("4 × 8 nvidia-a100-80gb"); empty for a region without GPU pools. */
        public String gpuCapacity() {
            if (kubernetes == null || kubernetes.gpuPools() == null || kubernetes.gpuPools().isEmpty()) {
                return "";
            }
            return kubernetes.gpuPools().stream().map(pool -> pool.nodes() + " × " + pool.gpusPerNode() + " " + pool.gpuType())
                    .collect(java.util.stream.Collectors.joining(", "));
        }
    }

    public record Kubernetes(String apiServer, java.util.List<GpuPool> gpuPools) {
    }

    public record GpuPool(String name, String gpuType, int gpusPerNode, int gpuMemoryGib, int nodes, java.math.BigDecimal pricePerGpuHour) {
    }

    /** Where a tenant's data lives (GET /api/v1/tenants/{id}/placement), with its isolation tier. */
    public record Placement(String zone, String tier, PlacedRegion primary, java.util.List<PlacedRegion> standbys) {
    }

    /** A placed region; {@code provisioning} only where a dedicated namespace is provisioned for the tenant. */
    public record PlacedRegion(String name, String endpoint, String status, String kind, String tier, Provisioning provisioning) {
    }

    /** A dedicated namespace's condition: Pending, Ready, Degraded or Removing, with the reason. */
    public record Provisioning(String namespace, String condition, String reason, String message, Instant updatedAt) {
    }

    public record ApiKey(UUID id, String name, String prefix, Set<String> scopes, String status, Instant createdAt,
                         String createdBy, Instant expiresAt, Instant lastUsedAt, Instant revokedAt, String secret) {
    }

    public record Member(String userId, String username, String email, String firstName, String lastName, String role,
                         Instant joinedAt) {
        public String displayName() {
            String name = ((firstName == null ? "" : firstName) + " " + (lastName == null ? "" : lastName)).strip();
            return name.isEmpty() ? username : name;
        }
    }

    /** An invitation to join a tenant; it becomes a membership when the invited person accepts it. */
    public record Invitation(UUID id, UUID tenantId, String tenantSlug, String email, String role, String status,
                             String invitedBy, Instant invitedAt, Instant expiresAt) {
    }

    public record Secret(String name, int version, boolean generated, Instant createdAt, String createdBy,
                         Instant updatedAt, String updatedBy) {
    }

    public record Model(String owner, String name, String type, String provider, String description, Instant createdAt,
                        String createdBy) {
        public boolean platformWide() {
            return "platform".equals(owner);
        }
    }

    /** A model deployment: which APPROVED version is served under {@code name}, and from which backend. */
    public record Deployment(String name, String model, String version, String kind, Upstream upstream, String fallback,
                             Instant updatedAt, String updatedBy, SelfHosted selfHosted, List<ServerStatus> servers) {
        public record Upstream(String url, String model, String apiKeySecret, Integer timeoutSeconds) {
        }

        public record SelfHosted(String gpuPool, java.math.BigDecimal gpus, int minReplicas, int maxReplicas, String cpu, String memory,
                                 int idleMinutes) {
        }

        public record ServerStatus(String region, String server, String role, String state, int desiredReplicas, int readyReplicas,
                                   String message) {
        }
    }

    /** {@code GET /api/v1/platform/gpu-pools}: a region's GPU pool, its capacity and the model servers on it. */
    public record PoolUsage(String region, String name, String gpuType, int nodes, int gpusPerNode, int sharesPerGpu, int capacityGpus,
                          java.math.BigDecimal pricePerGpuHour, java.math.BigDecimal allocatedGpus, java.math.BigDecimal maxGpus,
                          List<GpuServer> servers) {
    }

    public record GpuServer(String tenantId, String tenantSlug, String deployment, String state, java.math.BigDecimal gpusPerReplica,
                            int desiredReplicas, int readyReplicas, int maxReplicas) {
    }

    /** {@code GET .../deployments/{name}/rollout}: the newest rollout, each version's metrics, the decisions. */
    public record RolloutStatus(Rollout rollout, List<VersionMetrics> window, List<VersionMetrics> currentStep,
                                List<RolloutDecision> decisions) {
    }

    public record Rollout(String id, String deployment, String strategy, String stableVersion, String candidateVersion,
                          Deployment.Upstream upstream, List<RolloutStep> steps, String stickyBy, RolloutSlo slo, String state,
                          int step, Instant stepStartedAt, Instant startedAt, String startedBy, Instant endedAt, String endedBy,
                          String reason) {
        public boolean running() {
            return "RUNNING".equals(state);
        }
    }

    public record RolloutStep(int weight, int dwellSeconds) {
    }

    public record RolloutSlo(Double maxErrorRate, Long maxP95LatencyMs, Double maxGuardrailBlockRate, int minRequests, int windowSeconds) {
    }

    public record VersionMetrics(String version, String role, long requests, long errors, long guardrailBlocks, Double errorRate,
                                 Long p95LatencyMs, Double guardrailBlockRate) {
    }

    public record RolloutDecision(Instant at, String action, int step, String actor, String reason) {
    }

    public record Hardware(String gpuType, Integer gpuCount) {
    }

    public record ModelVersion(String owner, String model, String version, String status, String artifactUri,
                               String servingRuntime, Hardware hardware, JsonNode card, String reviewComment,
                               String reviewedBy, Instant reviewedAt, String submittedBy, Instant createdAt,
                               String createdBy, Instant updatedAt) {
    }

    public record AuditEvent(UUID id, UUID tenantId, long sequence, Instant occurredAt, Actor actor, String action,
                             Resource resource, String outcome, String detail, String requestId, String sourceIp,
                             Map<String, Change> changes, String hash) {
        public record Actor(String id, String type) {
        }

        public record Resource(String type, String id) {
        }

        public record Change(JsonNode from, JsonNode to) {
        }
    }

    public record Verification(boolean valid, long verified, String headHash, String firstBrokenEventId, String reason,
                               JsonNode digests) {
    }

    public record Digest(long digestSequence, String periodStart, String periodEnd, long eventCount, long firstSequence,
                         long lastSequence, String digestHash, String keyId, Instant createdAt) {
    }

    public record SigningKey(String keyId, String algorithm, String publicKey, Instant validFrom, Instant validTo) {
    }

    public record Export(UUID id, UUID tenantId, String format, String status, Instant from, Instant to,
                         Long eventsTotal, long eventsScanned, long eventsWritten, int progress, String requestedBy,
                         String error, Instant createdAt, Instant completedAt, Map<String, String> filters) {
        public boolean finished() {
            return "DONE".equals(status) || "FAILED".equals(status);
        }
    }

    public record KnowledgeBase(UUID id, String name, String description, Chunking chunking, String embeddingModel,
                                String chatModel, Instant createdAt, long documents, long chunks) {
        public record Chunking(Integer size, Integer overlap) {
        }
    }

    public record Document(UUID id, String title, String contentType, String status, int chunks, int piiFindings,
                           String error, Instant createdAt, UUID jobId) {
    }

    public record DocumentPage(List<Document> items, String nextCreatedAfter) {
    }

    public record IngestJob(UUID id, UUID documentId, String status, int percent, int chunksDone, int chunksTotal, String error) {
        public boolean finished() {
            return "DONE".equals(status) || "FAILED".equals(status);
        }
    }

    /** 201/200 answer a document; 202 answers {document, job} for large ones indexed in the background. */
    public record AddedDocument(UUID id, String title, String status, int chunks, Document document, IngestJob job) {
    }

    public record Answer(String answer, List<Citation> citations, String mode, String model) {
        public record Citation(int n, UUID documentId, String title, int start, int end, String text) {
        }
    }

    public record UsageTotals(String key, long requests, long inputTokens, long outputTokens, long embeddingTokens,
                              long chunksStored, double gpuSeconds) {
        public long tokens() {
            return inputTokens + outputTokens + embeddingTokens;
        }
    }

    public record UsageReport(UUID tenantId, Instant from, Instant to, UsageTotals totals, List<UsageTotals> byDay,
                              List<UsageTotals> byModel, List<UsageTotals> byKey) {
    }
}
