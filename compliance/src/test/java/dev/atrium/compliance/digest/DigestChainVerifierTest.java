package dev.atrium.compliance.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DigestChainVerifierTest {

    private static final String CHAIN = "tenant-1";
    private final KeyPair first = DigestSigning.generateKeyPair();
    private final KeyPair second = DigestSigning.generateKeyPair();
    private final Map<Long, String> eventHashes = new HashMap<>();

    @Test
    void signaturesAreStandardEd25519OverTheCanonicalContent() throws Exception {
        SignedDigest signed = DigestSigning.sign(digest(1, 1, 10, ChainDigest.NO_PREVIOUS_DIGEST, "k1"), first.getPrivate());
        // verified with the JDK directly, not with the class under test
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initVerify(first.getPublic());
        jdk.update(signed.digest().canonicalBytes());
        assertThat(jdk.verify(Base64.getDecoder().decode(signed.signature()))).isTrue();
        assertThat(new String(signed.digest().canonicalBytes())).startsWith("{\"chainId\":\"tenant-1\",\"digestSequence\":1,");
        PublicKey decoded = DigestSigning.decodePublicKey(DigestSigning.encodePublicKey(first.getPublic()));
        assertThat(DigestSigning.verify(signed, decoded)).isTrue();
    }

    @Test
    void aLinkedSeriesAcrossAKeyRotationVerifies() {
        List<SignedDigest> digests = series();
        DigestChainVerifier.Result result = DigestChainVerifier.verify(CHAIN, digests, keys(), eventHashes::get);
        assertThat(result.valid()).isTrue();
        assertThat(result.verified()).isEqualTo(3);
    }

    @Test
    void anAlteredDigestFailsItsSignature() {
        List<SignedDigest> digests = series();
        SignedDigest original = digests.get(1);
        ChainDigest d = original.digest();
        ChainDigest altered = new ChainDigest(d.chainId(), d.digestSequence(), d.periodStart(), d.periodEnd(),
                d.eventCount() - 1, d.firstSequence(), d.lastSequence() - 1, d.firstEventHash(), d.lastEventHash(),
                d.previousDigestHash(), d.keyId());
        digests.set(1, new SignedDigest(altered, original.signature()));
        DigestChainVerifier.Result result = DigestChainVerifier.verify(CHAIN, digests, keys(), eventHashes::get);
        assertThat(result.valid()).isFalse();
        assertThat(result.firstBrokenDigest()).isEqualTo(2);
        assertThat(result.reason()).contains("signature");
    }

    @Test
    void aRemovedDigestOrARewrittenChainIsCaught() {
        List<SignedDigest> digests = series();
        List<SignedDigest> gap = new ArrayList<>(digests);
        gap.remove(1);
        assertThat(DigestChainVerifier.verify(CHAIN, gap, keys(), eventHashes::get).reason()).contains("missing");

        // someone rewrote event 15 and recomputed every later hash so that the chain itself verifies again
        for (long s = 15; s <= 30; s++) {
            eventHashes.put(s, String.format("%064x", s + 1000));
        }
        DigestChainVerifier.Result rewritten = DigestChainVerifier.verify(CHAIN, digests, keys(), eventHashes::get);
        assertThat(rewritten.valid()).isFalse();
        assertThat(rewritten.firstBrokenDigest()).isEqualTo(2);
        assertThat(rewritten.reason()).contains("no longer holds");

        // the newest events were truncated away
        series();
        eventHashes.remove(30L);
        DigestChainVerifier.Result truncated = DigestChainVerifier.verify(CHAIN, digests, keys(), eventHashes::get);
        assertThat(truncated.firstBrokenDigest()).isEqualTo(3);
    }

    @Test
    void unknownKeysAndForeignDigestsAreRejected() {
        List<SignedDigest> digests = series();
        assertThat(DigestChainVerifier.verify(CHAIN, digests, Map.of("k1", first.getPublic()), eventHashes::get).reason())
                .contains("unknown signing key k2");
        assertThat(DigestChainVerifier.verify("tenant-2", digests, keys(), eventHashes::get).reason())
                .contains("belongs to chain tenant-1");
    }

    private List<SignedDigest> series() {
        for (long s = 1; s <= 30; s++) {
            eventHashes.put(s, String.format("%064x", s));
        }
        List<SignedDigest> digests = new ArrayList<>();
        SignedDigest d1 = DigestSigning.sign(digest(1, 1, 10, ChainDigest.NO_PREVIOUS_DIGEST, "k1"), first.getPrivate());
        SignedDigest d2 = DigestSigning.sign(digest(2, 11, 20, d1.digest().hash(), "k1"), first.getPrivate());
        SignedDigest d3 = DigestSigning.sign(digest(3, 21, 30, d2.digest().hash(), "k2"), second.getPrivate());
        digests.add(d1);
        digests.add(d2);
        digests.add(d3);
        return digests;
    }

    private Map<String, PublicKey> keys() {
        return Map.of("k1", first.getPublic(), "k2", second.getPublic());
    }

    private ChainDigest digest(long n, long from, long to, String previous, String keyId) {
        return new ChainDigest(CHAIN, n, "2026-11-26T10:00:00Z", "2026-11-26T10:05:00Z", to - from + 1, from, to,
                String.format("%064x", from), String.format("%064x", to), previous, keyId);
    }
}
