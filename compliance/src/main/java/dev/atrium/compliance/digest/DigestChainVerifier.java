package dev.atrium.compliance.digest;

import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Checks a chain's digests: each signature against the key it names, each digest linked to the previous one,
 * their event ranges contiguous, and each digest's first and last event hash equal to the hash the chain holds at
 * that sequence now (a rewrite after the digest was signed is caught even if every event hash was recomputed).
 */
public final class DigestChainVerifier {

    private DigestChainVerifier() {
    }

    /** The outcome: how many digests verified, and the first failure if any. */
    public record Result(boolean valid, int verified, Long firstBrokenDigest, String reason) {
        static Result ok(int verified) {
            return new Result(true, verified, null, null);
        }

        static Result broken(int verified, long digest, String reason) {
            return new Result(false, verified, digest, reason);
        }
    }

    /**
     * @param digests     the chain's digests in digest order
     * @param keys        public keys by key id
     * @param eventHashAt the chain's stored event hash at a sequence, or null when the chain has no such event
     */
    public static Result verify(String chainId, List<SignedDigest> digests, Map<String, PublicKey> keys,
                                LongFunction<String> eventHashAt) {
        return verify(chainId, digests, keys, eventHashAt, 0);
    }

    /**
     * As {@link #verify(String, List, Map, LongFunction)} for a chain whose events up to {@code purgedThrough} were
     * purged under the retention policy: digests of purged events are still checked (signature, linkage, ranges),
     * and {@code eventHashAt(purgedThrough)} must return the anchor hash recorded by the purge.
     */
    public static Result verify(String chainId, List<SignedDigest> digests, Map<String, PublicKey> keys,
                                LongFunction<String> eventHashAt, long purgedThrough) {
        String previousHash = ChainDigest.NO_PREVIOUS_DIGEST;
        long expectedFirst = 1;
        int verified = 0;
        for (SignedDigest signed : digests) {
            ChainDigest digest = signed.digest();
            long n = digest.digestSequence();
            if (!chainId.equals(digest.chainId())) {
                return Result.broken(verified, n, "digest belongs to chain " + digest.chainId());
            }
            if (n != verified + 1) {
                return Result.broken(verified, n, "expected digest " + (verified + 1) + " (digests missing or reordered)");
            }
            PublicKey key = keys.get(digest.keyId());
            if (key == null) {
                return Result.broken(verified, n, "unknown signing key " + digest.keyId());
            }
            if (!DigestSigning.verify(signed, key)) {
                return Result.broken(verified, n, "signature does not verify (digest altered or wrong key)");
            }
            if (!previousHash.equals(digest.previousDigestHash())) {
                return Result.broken(verified, n, "previous-digest hash does not match the previous digest");
            }
            if (digest.firstSequence() != expectedFirst || digest.lastSequence() < digest.firstSequence()
                    || digest.eventCount() != digest.lastSequence() - digest.firstSequence() + 1) {
                return Result.broken(verified, n, "event range " + digest.firstSequence() + ".." + digest.lastSequence()
                        + " does not continue at " + expectedFirst);
            }
            boolean firstGone = digest.firstSequence() < purgedThrough;
            boolean lastGone = digest.lastSequence() < purgedThrough;
            if ((!firstGone && !digest.firstEventHash().equals(eventHashAt.apply(digest.firstSequence())))
                    || (!lastGone && !digest.lastEventHash().equals(eventHashAt.apply(digest.lastSequence())))) {
                return Result.broken(verified, n, "the chain no longer holds the events this digest signed "
                        + "(events " + digest.firstSequence() + ".." + digest.lastSequence() + " changed or removed)");
            }
            previousHash = digest.hash();
            expectedFirst = digest.lastSequence() + 1;
            verified++;
        }
        return Result.ok(verified);
    }
}
