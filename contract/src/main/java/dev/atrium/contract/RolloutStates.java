package dev.atrium.contract;

import java.util.List;
import java.util.UUID;

/**
 * The answer to a {@link RolloutReport}: the tenant's running rollouts as the control plane sees them now. A data
 * plane whose view differs (a rollout ended, rolled back or moved to another step) reads the tenant's deployments
 * again at once instead of waiting for its cache to expire.
 */
public record RolloutStates(List<Running> running) {

    public record Running(String deployment, UUID rolloutId, int step) {
    }
}
