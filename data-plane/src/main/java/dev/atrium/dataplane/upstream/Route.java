package dev.atrium.dataplane.upstream;

import dev.atrium.dataplane.common.DataPlaneConfig;

/**
 * A model backend, by the name tenants use for it: one configured by the operator ({@code atrium.models.<name>}), or
 * a tenant's deployment, which serves exactly {@code registryModel@version} of the model registry.
 *
 * @param registryModel the registry model the serving gate checks (the route's name for configured backends)
 * @param version       the APPROVED version a deployment serves; null for configured backends (any APPROVED one)
 * @param arm           which side of a running rollout this route is (null when none runs): what it serves is
 *                      measured for the rollout's SLOs
 */
public record Route(String name, DataPlaneConfig.Upstream upstream, String registryModel, String version, Arm arm) {

    public Route(String name, DataPlaneConfig.Upstream upstream) {
        this(name, upstream, name, null, null);
    }

    /** One side of a rollout: the {@code stable} version or the {@code candidate}, during the rollout's {@code step}. */
    public record Arm(java.util.UUID rolloutId, int step, String role) {
        public static final String STABLE = "stable";
        public static final String CANDIDATE = "candidate";

        public boolean candidate() {
            return CANDIDATE.equals(role);
        }
    }

    /** Identifies the route among a deployment's versions (a deployment's name alone is both sides of a rollout). */
    public String key() {
        return version == null ? name : name + "@" + version;
    }

    /**
     * The {@code model} tag of metrics: a configured model's name; "deployment" for every tenant deployment, whose
     * names tenants choose (one series per name would be unbounded, and could merge into an operator's model's).
     */
    public String metricName() {
        return isDeployment() ? "deployment" : name;
    }

    /** A tenant's deployment: its version is fixed, and answers name it {@code name@version}. */
    public boolean isDeployment() {
        return version != null;
    }

    /** The model name the backend knows it by. */
    public String upstreamModel() {
        return upstream.upstreamModel().orElse(name);
    }
}
