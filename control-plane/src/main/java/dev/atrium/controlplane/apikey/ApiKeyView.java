package dev.atrium.controlplane.apikey;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.atrium.controlplane.common.ShownOnce;

/**
 * An API key as the API returns it. {@code secret} is present only in the response that created the key; it is
 * not stored and can never be read again. A replay of the creating request (same {@code Idempotency-Key}) answers
 * the metadata with {@code secretAlreadyShown: true} instead of the secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyView(UUID id, UUID tenantId, String name, String prefix, Set<String> scopes, ApiKeyStatus status,
                         Instant createdAt, String createdBy, Instant expiresAt, Instant lastUsedAt, Instant revokedAt,
                         String region, String secret, Boolean secretAlreadyShown) implements ShownOnce {

    static ApiKeyView of(ApiKey key, Instant now) {
        return new ApiKeyView(key.id, key.tenantId, key.name, key.displayPrefix, key.scopeSet(), key.statusAt(now),
                key.createdAt, key.createdBy, key.expiresAt, key.lastUsedAt, key.revokedAt, key.region, null, null);
    }

    ApiKeyView withSecret(String newSecret) {
        return new ApiKeyView(id, tenantId, name, prefix, scopes, status, createdAt, createdBy, expiresAt, lastUsedAt,
                revokedAt, region, newSecret, null);
    }

    @Override
    public ApiKeyView withoutSecret() {
        return new ApiKeyView(id, tenantId, name, prefix, scopes, status, createdAt, createdBy, expiresAt, lastUsedAt,
                revokedAt, region, null, Boolean.TRUE);
    }

    @Override
    public String toString() {
        return "ApiKeyView[" + id + ", " + prefix + "...]";
    }
}
