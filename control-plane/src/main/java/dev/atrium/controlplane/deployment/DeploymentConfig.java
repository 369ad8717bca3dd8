package dev.atrium.controlplane.deployment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code atrium.deployments.*}: what tenants' model deployments may point at. */
@ConfigMapping(prefix = "atrium.deployments")
public interface DeploymentConfig {

    /**
     * Whether a deployment's backend may be on the platform's own network (loopback, private, link-local addresses):
     * off in production, so that a tenant cannot make Atrium call its internal services or a cloud metadata endpoint;
     * on for {@code make run} (a local Ollama or vLLM) and tests.
     */
    @WithDefault("false")
    boolean allowPrivateUpstreams();
}
