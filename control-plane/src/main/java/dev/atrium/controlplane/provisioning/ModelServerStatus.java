package dev.atrium.controlplane.provisioning;

/**
 * Where a self-hosted deployment's model server stands in one region, read from its Deployment after an apply.
 *
 * @param state {@code Ready} (at least one pod available and the rollout finished), {@code ScaledToZero},
 *              {@code Starting} (pods not available yet: scheduling on the GPU pool, downloading weights) or
 *              {@code Failed} (its rollout passed the progress deadline)
 * @param version the model version the applied server loads (null when the plan did not say)
 */
public record ModelServerStatus(String deployment, String name, String state, int desiredReplicas, int readyReplicas,
        String message, String version) {

    public static final String READY = "Ready";
    public static final String SCALED_TO_ZERO = "ScaledToZero";
    public static final String STARTING = "Starting";
    public static final String FAILED = "Failed";
}
