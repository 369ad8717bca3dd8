package dev.atrium.controlplane.audit.digest;

import java.time.Instant;
import java.util.UUID;

import dev.atrium.compliance.digest.ChainDigest;
import dev.atrium.compliance.digest.SignedDigest;

/** A signed digest as the API returns it: everything needed to verify it offline. */
public record DigestView(String chainId, UUID tenantId, long digestSequence, String periodStart, String periodEnd,
                         long eventCount, long firstSequence, long lastSequence, String firstEventHash,
                         String lastEventHash, String previousDigestHash, String digestHash, String keyId,
                         String signature, Instant createdAt) {

    public SignedDigest toSigned() {
        return new SignedDigest(new ChainDigest(chainId, digestSequence, periodStart, periodEnd, eventCount, firstSequence,
                lastSequence, firstEventHash, lastEventHash, previousDigestHash, keyId), signature);
    }
}
