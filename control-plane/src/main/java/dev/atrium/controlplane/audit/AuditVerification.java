package dev.atrium.controlplane.audit;

import dev.atrium.compliance.digest.DigestChainVerifier;

/** The result of {@code /verify}: the hash chain, the signed digests that pin it, and any purge of its oldest events. */
public record AuditVerification(boolean valid, long verified, String headHash, String firstBrokenEventId,
                                String reason, DigestChainVerifier.Result digests) {
}
