package dev.atrium.controlplane.region;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.atrium.tenancy.ApiKeyHasher;

/**
 * One-time tokens that prove an erasure command comes from this control plane: issued for one tenant and one region,
 * valid for a minute, spent by the first verification. Only their SHA-256 is kept, in memory: a restart in between
 * makes the data plane refuse the command, and the deletion retries with a new one.
 */
@ApplicationScoped
public class ErasureTokens {

    static final Duration LIFETIME = Duration.ofMinutes(1);

    private record Pending(UUID tenantId, String region, Instant expiresAt) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    public String issue(UUID tenantId, String region) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = Instant.now();
        pending.values().removeIf(entry -> entry.expiresAt().isBefore(now));
        pending.put(ApiKeyHasher.fingerprint(token), new Pending(tenantId, region, now.plus(LIFETIME)));
        return token;
    }

    /** Spends the token if it was issued for this tenant and region and has not expired; null when valid, else why not. */
    public String spend(String token, UUID tenantId, String region) {
        Pending entry = pending.remove(ApiKeyHasher.fingerprint(token));
        if (entry == null) {
            return "unknown or already used erasure token";
        }
        if (entry.expiresAt().isBefore(Instant.now())) {
            return "expired erasure token";
        }
        if (!entry.tenantId().equals(tenantId) || !entry.region().equals(region)) {
            return "the erasure token was issued for another tenant or region";
        }
        return null;
    }
}
