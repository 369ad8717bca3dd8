package dev.atrium.dataplane.guardrail;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * SHA-256 hashes of message texts a tenant has had screened without any finding. Bounded per tenant and in the
 * number of tenants, and forgotten after an hour: an evicted hash only means the text is screened again.
 */
final class ScreenedTexts {

    static final int PER_TENANT = 2_000;
    private static final Duration REMEMBERED = Duration.ofHours(1);

    private final Cache<UUID, Cache<String, Boolean>> byTenant = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterAccess(REMEMBERED).build();

    boolean contains(UUID tenantId, String hash) {
        Cache<String, Boolean> texts = byTenant.getIfPresent(tenantId);
        return texts != null && texts.getIfPresent(hash) != null;
    }

    void add(UUID tenantId, String hash) {
        byTenant.get(tenantId, id -> Caffeine.newBuilder().maximumSize(PER_TENANT).expireAfterWrite(REMEMBERED).build())
                .put(hash, Boolean.TRUE);
    }

    void forget(UUID tenantId) {
        byTenant.invalidate(tenantId);
    }

    static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
