package dev.atrium.controlplane.audit.digest;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.atrium.compliance.digest.DigestSigning;
import dev.atrium.controlplane.common.Rows;
import dev.atrium.controlplane.identity.TenantScope;
import dev.atrium.controlplane.secret.SecretService;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;

/**
 * The Ed25519 keys that sign audit digests. The private half is a platform secret in the secret store; the public
 * half, with its validity, is published at {@code GET /api/v1/audit/public-keys} and kept forever, so digests
 * signed before a rotation stay verifiable. Only {@code atrium_add_audit_signing_key} writes the published keys:
 * a new key is valid from the database's now() and retires the current one; nothing else changes a validity.
 */
@ApplicationScoped
public class AuditSigningKeys {

    static final String SECRET_PREFIX = "audit-signing-key-";

    @Inject
    EntityManager entityManager;

    @Inject
    SecretService secrets;

    @Inject
    AuditTrail auditTrail;

    private final Map<String, PrivateKey> privateKeys = new ConcurrentHashMap<>();

    /** A signing key as published. */
    public record PublicSigningKey(String keyId, String algorithm, String publicKey, Instant validFrom, Instant validTo) {
    }

    public record CurrentKey(String keyId, PrivateKey privateKey) {
    }

    /** The key that signs new digests, created on first use. */
    public synchronized CurrentKey current() {
        String keyId = TenantScope.asPlatform(() -> QuarkusTransaction.requiringNew().call(this::currentKeyId));
        if (keyId == null) {
            keyId = create();
        }
        String id = keyId;
        return new CurrentKey(id, privateKeys.computeIfAbsent(id,
                k -> DigestSigning.decodePrivateKey(secrets.readPlatformSecret(SECRET_PREFIX + k))));
    }

    /** Retires the current key (it stays published for verification) and starts signing with a new one. */
    public synchronized String rotate() {
        return create();
    }

    public List<PublicSigningKey> publicKeys() {
        return Rows.tuples(entityManager.createNativeQuery(
                "SELECT key_id, algorithm, public_key, valid_from, valid_to FROM audit_signing_key ORDER BY valid_from",
                Tuple.class)).stream().map(AuditSigningKeys::publicKey).toList();
    }

    public Map<String, PublicKey> publicKeysById() {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        publicKeys().forEach(k -> keys.put(k.keyId(), DigestSigning.decodePublicKey(k.publicKey())));
        return keys;
    }

    private static PublicSigningKey publicKey(Tuple row) {
        return new PublicSigningKey(row.get("key_id", String.class), row.get("algorithm", String.class),
                row.get("public_key", String.class), Rows.instant(row, "valid_from"), Rows.instant(row, "valid_to"));
    }

    private String currentKeyId() {
        @SuppressWarnings("unchecked")
        List<String> ids = entityManager.createNativeQuery("SELECT key_id FROM audit_signing_key WHERE valid_to IS NULL")
                .getResultList();
        return ids.isEmpty() ? null : ids.getFirst();
    }

    private String create() {
        KeyPair pair = DigestSigning.generateKeyPair();
        String publicKey = DigestSigning.encodePublicKey(pair.getPublic());
        String keyId = keyIdOf(publicKey);
        secrets.putPlatformSecret(SECRET_PREFIX + keyId, DigestSigning.encodePrivateKey(pair.getPrivate()));
        TenantScope.asPlatform(() -> QuarkusTransaction.requiringNew().call(() -> {
            // the database makes the key valid from its own now() and retires the current key in the same step
            entityManager.createNativeQuery("SELECT atrium_add_audit_signing_key(?1, ?2, ?3)")
                    .setParameter(1, keyId).setParameter(2, DigestSigning.ALGORITHM).setParameter(3, publicKey)
                    .getSingleResult();
            auditTrail.record(AuditEntry.success("audit.signing-key.create").resource("signing-key", keyId)
                    .after(Map.of("keyId", keyId, "algorithm", DigestSigning.ALGORITHM, "publicKey", publicKey)));
            return null;
        }));
        privateKeys.put(keyId, pair.getPrivate());
        return keyId;
    }

    static String keyIdOf(String publicKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getBytes(StandardCharsets.US_ASCII));
            return "ed25519-" + HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
