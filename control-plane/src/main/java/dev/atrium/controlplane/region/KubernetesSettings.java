package dev.atrium.controlplane.region;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * How Atrium reaches a Kubernetes region and what it may schedule there. The credentials are never stored here: they
 * are a platform secret in Atrium's secret store (a kubeconfig, or a token and CA), named by {@code credentialsSecret}.
 * A dedicated tenant's data plane is reached at {@code https://<slug>.<tenantDomain>} through the region's ingress
 * controller ({@code ingressClassName}, or the cluster's default class); its CPU pods (database, and the data plane
 * without GPUs) run on {@code cpuPool}'s nodes. With {@code sharedDataPlaneNamespace} (where the operator runs the
 * region's shared data plane) the region also runs the platform's self-hosted deployments, in its shared serving
 * namespace.
 */
public record KubernetesSettings(
        @NotBlank(message = "is required") @Size(max = 500) @Pattern(regexp = "https://[^\\s@]+", message = "must be an https URL without credentials")
        String apiServer,
        @NotBlank(message = "is required") @Pattern(regexp = "[A-Za-z0-9._-]{1,100}", message = "must name a platform secret")
        String credentialsSecret,
        @NotBlank(message = "is required") @Pattern(regexp = "[a-z][a-z0-9-]{0,19}", message = "must be a DNS label of at most 20 characters")
        String namespacePrefix,
        @NotBlank(message = "is required") @Size(max = 300) @Pattern(regexp = "[^\\s]+", message = "must be an image reference")
        String dataPlaneImage,
        @NotBlank(message = "is required") @Size(max = 200) @Pattern(regexp = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+", message = "must be a DNS domain (lowercase) under which each dedicated tenant gets <slug>.<tenantDomain>")
        String tenantDomain,
        @Size(max = 253) @Pattern(regexp = "[a-z0-9]([-a-z0-9.]*[a-z0-9])?", message = "must name an IngressClass") String ingressClassName,
        @Valid NodePool cpuPool,
        @Valid @Size(max = 20, message = "at most 20 GPU pools") List<@NotNull @Valid GpuPool> gpuPools,
        @Size(max = 300) @Pattern(regexp = "[^\\s]+", message = "must be an image reference") String modelServerImage,
        @Size(max = 63) @Pattern(regexp = "[a-z0-9]([-a-z0-9]*[a-z0-9])?", message = "must be a namespace name (a DNS label)")
        String sharedDataPlaneNamespace) {

    /** The model server self-hosted deployments run when the region names none: vLLM's OpenAI-compatible server. */
    public static final String DEFAULT_MODEL_SERVER_IMAGE = "vllm/vllm-openai:v0.8.5";

    public KubernetesSettings {
        gpuPools = gpuPools == null ? List.of() : List.copyOf(gpuPools);
    }

    /** The image of self-hosted deployments' model servers in this region. */
    public String modelServerImageOrDefault() {
        return modelServerImage == null ? DEFAULT_MODEL_SERVER_IMAGE : modelServerImage;
    }

    /**
     * The region's shared serving namespace, {@code <namespacePrefix>-platform}, where the platform's self-hosted
     * model servers run ({@code platform} is a reserved slug: no tenant's namespace can take the name); empty unless
     * the region says where its shared data plane runs ({@code sharedDataPlaneNamespace}), the one namespace besides
     * the dedicated data planes that may call them.
     */
    public java.util.Optional<String> platformServingNamespace() {
        if (sharedDataPlaneNamespace == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of((namespacePrefix.endsWith("-") ? namespacePrefix : namespacePrefix + "-") + "platform");
    }

    public java.util.Optional<GpuPool> gpuPool(String name) {
        return gpuPools.stream().filter(pool -> pool.name().equals(name)).findFirst();
    }

    /** The host of a dedicated tenant's data plane: {@code <slug>.<tenantDomain>}; empty without a tenant domain. */
    public java.util.Optional<String> tenantHost(String slug) {
        return tenantDomain == null ? java.util.Optional.empty() : java.util.Optional.of(slug + "." + tenantDomain);
    }

    /** Nodes for data planes without GPUs. */
    public record NodePool(@Size(max = 10) Map<@Pattern(regexp = "[A-Za-z0-9./_-]{1,253}") String, @Size(max = 63) String> nodeSelector) {
    }

    /**
     * A pool of GPU nodes: how to land on it, what it has, and what an hour of one of its GPUs costs.
     * {@code sharesPerGpu} above 1 says its nodes share each GPU that many ways (NVIDIA time-slicing or MPS: the device
     * plugin then advertises that many {@code nvidia.com/gpu} per GPU), so a model server may ask for a fraction of one.
     */
    public record GpuPool(
            @NotBlank(message = "is required") @Pattern(regexp = "[a-z][a-z0-9-]{0,39}", message = "must be a DNS label") String name,
            @Size(max = 10) Map<@Pattern(regexp = "[A-Za-z0-9./_-]{1,253}") String, @Size(max = 63) String> nodeSelector,
            @Size(max = 10) List<@NotNull @Valid Toleration> tolerations,
            @NotBlank(message = "is required") @Size(max = 64) String gpuType,
            @Min(1) @Max(16) int gpusPerNode,
            @Min(1) @Max(1024) int gpuMemoryGib,
            @Min(0) @Max(10_000) int nodes,
            @NotNull(message = "is required") @DecimalMin("0") BigDecimal pricePerGpuHour,
            @Min(1) @Max(48) Integer sharesPerGpu) {

        public GpuPool {
            tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
            sharesPerGpu = sharesPerGpu == null ? 1 : sharesPerGpu;
        }

        /** GPUs the pool offers in all. */
        public int capacity() {
            return nodes * gpusPerNode;
        }
    }

    /** A taint the region's data planes tolerate. */
    public record Toleration(@NotBlank @Size(max = 253) String key,
                             @Pattern(regexp = "Equal|Exists", message = "must be Equal or Exists") String operator,
                             @Size(max = 63) String value,
                             @Pattern(regexp = "NoSchedule|PreferNoSchedule|NoExecute", message = "must be NoSchedule, PreferNoSchedule or NoExecute") String effect) {
    }
}
