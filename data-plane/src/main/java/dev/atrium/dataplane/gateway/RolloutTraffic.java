package dev.atrium.dataplane.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import dev.atrium.contract.ServedRollout;
import dev.atrium.dataplane.upstream.Route;

/**
 * Which version of a deployment answers a request while a rollout runs. A {@code canary} sends each request to the
 * candidate with the step's probability; an {@code ab} split puts each end user (or API key) in a bucket from a hash
 * of the rollout and that value, so the same caller keeps the same version for the whole rollout, on every data
 * plane; a {@code shadow} answers from the stable version and copies requests to the candidate.
 */
final class RolloutTraffic {

    static final String CANARY = "canary";
    static final String AB = "ab";
    static final String SHADOW = "shadow";

    private RolloutTraffic() {
    }

    /** The route that answers; {@code sticky} is the caller's value an A/B split is sticky by. */
    static Route answering(TenantDeployments.Routes routes, String sticky) {
        ServedRollout rollout = routes.rollout();
        if (rollout == null) {
            return routes.stable();
        }
        boolean candidate = switch (rollout.strategy()) {
            case CANARY -> ThreadLocalRandom.current().nextInt(100) < rollout.weight();
            case AB -> bucket(rollout.id(), sticky) < rollout.weight();
            default -> false;
        };
        return candidate ? routes.candidate() : routes.stable();
    }

    /** The candidate, when this request is to be copied to a shadow rollout's candidate. */
    static Optional<Route> shadow(TenantDeployments.Routes routes) {
        ServedRollout rollout = routes.rollout();
        if (rollout == null || !SHADOW.equals(rollout.strategy()) || ThreadLocalRandom.current().nextInt(100) >= rollout.weight()) {
            return Optional.empty();
        }
        return Optional.of(routes.candidate());
    }

    /** The caller's bucket in [0, 100) for a rollout: SHA-256 of the rollout's id and the value, so no caller can pick one. */
    static int bucket(UUID rolloutId, String sticky) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((rolloutId + "\n" + sticky).getBytes(StandardCharsets.UTF_8));
            long value = ((hash[0] & 0xFFL) << 24) | ((hash[1] & 0xFFL) << 16) | ((hash[2] & 0xFFL) << 8) | (hash[3] & 0xFFL);
            return (int) (value % 100);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
