package dev.atrium.compliance.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class AuditChainVerifierTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAIN = "7b0c0b5e-1f7e-4a36-9a53-2b1f7f4d2c11";

    @Test
    void emptyChainIsValidAndEndsAtGenesis() {
        ChainVerification result = AuditChainVerifier.fromGenesis(CHAIN).verify(List.of());
        assertThat(result.valid()).isTrue();
        assertThat(result.verified()).isZero();
        assertThat(result.headHash()).isEqualTo(AuditChain.GENESIS_HASH);
    }

    @Property(tries = 200)
    void untouchedChainsVerify(@ForAll @IntRange(min = 1, max = 40) int length) {
        List<ChainedEvent> chain = chain(CHAIN, length);
        ChainVerification result = AuditChainVerifier.fromGenesis(CHAIN).verify(chain);
        assertThat(result.valid()).isTrue();
        assertThat(result.verified()).isEqualTo(length);
        assertThat(result.headHash()).isEqualTo(chain.get(length - 1).hash());
    }

    @Property(tries = 300)
    void changingAnyFieldOfAnyEventIsDetectedAtThatEvent(@ForAll @IntRange(min = 2, max = 30) int length,
                                                         @ForAll @IntRange(min = 0, max = 29) int victimSeed,
                                                         @ForAll("fields") String field) {
        List<ChainedEvent> chain = chain(CHAIN, length);
        int victim = victimSeed % length;
        ChainedEvent original = chain.get(victim);
        ObjectNode changed = original.content().deepCopy();
        changed.put(field, changed.path(field).asText() + "x");
        chain.set(victim, new ChainedEvent(original.eventId(), original.chainId(), original.sequence(), changed,
                original.prevHash(), original.hash()));

        ChainVerification result = AuditChainVerifier.fromGenesis(CHAIN).verify(chain);
        assertThat(result.valid()).isFalse();
        assertThat(result.firstBrokenEventId()).isEqualTo(original.eventId());
        assertThat(result.verified()).isEqualTo(victim);
    }

    @Property(tries = 300)
    void removingAnEventBeforeTheHeadIsDetectedAtItsSuccessor(@ForAll @IntRange(min = 2, max = 30) int length,
                                                              @ForAll @IntRange(min = 0, max = 28) int victimSeed) {
        List<ChainedEvent> chain = chain(CHAIN, length);
        int victim = victimSeed % (length - 1);
        chain.remove(victim);

        ChainVerification result = AuditChainVerifier.fromGenesis(CHAIN).verify(chain);
        assertThat(result.valid()).isFalse();
        assertThat(result.firstBrokenEventId()).isEqualTo(chain.get(victim).eventId());
        assertThat(result.reason()).contains("events missing");
    }

    @Property(tries = 300)
    void swappingTwoNeighboursIsDetected(@ForAll @IntRange(min = 2, max = 30) int length,
                                         @ForAll @IntRange(min = 0, max = 28) int firstSeed) {
        List<ChainedEvent> chain = chain(CHAIN, length);
        int first = firstSeed % (length - 1);
        ChainedEvent moved = chain.remove(first);
        chain.add(first + 1, moved);

        ChainVerification result = AuditChainVerifier.fromGenesis(CHAIN).verify(chain);
        assertThat(result.valid()).isFalse();
        assertThat(result.firstBrokenEventId()).isEqualTo(chain.get(first).eventId());
    }

    @Property(tries = 300)
    void insertingAWellFormedForgedEventIsDetected(@ForAll @IntRange(min = 1, max = 30) int length,
                                                   @ForAll @IntRange(min = 0, max = 30) int positionSeed) {
        List<ChainedEvent> chain = chain(CHAIN, length);
        int position = positionSeed % length;
        // The forger links correctly to the previous event and hashes correctly, but cannot rewrite what follows.
        String prev = position == 0 ? AuditChain.GENESIS_HASH : chain.get(position - 1).hash();
        ChainedEvent forged = event(CHAIN, position + 1, prev, "forged.action");
        chain.add(position, forged);

        ChainVerification result = AuditChainVerifier.fromGenesis(CHAIN).verify(chain);
        assertThat(result.valid()).isFalse();
        assertThat(result.firstBrokenEventId()).isEqualTo(chain.get(position + 1).eventId());
    }

    @Test
    void eventsOfAnotherTenantAreRejectedEvenWithValidHashes() {
        String otherChain = UUID.randomUUID().toString();
        List<ChainedEvent> other = chain(otherChain, 3);
        ChainVerification result = AuditChainVerifier.fromGenesis(CHAIN).verify(other);
        assertThat(result.valid()).isFalse();
        assertThat(result.firstBrokenEventId()).isEqualTo(other.get(0).eventId());
        assertThat(result.reason()).contains("belongs to chain " + otherChain);
    }

    @Test
    void relabelledEventOfAnotherTenantIsRejected() {
        List<ChainedEvent> chain = chain(CHAIN, 3);
        ChainedEvent foreign = chain(UUID.randomUUID().toString(), 3).get(1);
        chain.set(1, new ChainedEvent(foreign.eventId(), CHAIN, 2, foreign.content(), chain.get(0).hash(), foreign.hash()));
        ChainVerification result = AuditChainVerifier.fromGenesis(CHAIN).verify(chain);
        assertThat(result.valid()).isFalse();
        assertThat(result.firstBrokenEventId()).isEqualTo(foreign.eventId());
    }

    @Test
    void segmentVerifiesFromATrustedAnchor() {
        List<ChainedEvent> chain = chain(CHAIN, 10);
        ChainVerification result = AuditChainVerifier.fromAnchor(CHAIN, 6, chain.get(4).hash())
                .verify(chain.subList(5, 10));
        assertThat(result.valid()).isTrue();
        assertThat(result.verified()).isEqualTo(5);
        ChainVerification wrongAnchor = AuditChainVerifier.fromAnchor(CHAIN, 6, chain.get(3).hash())
                .verify(chain.subList(5, 10));
        assertThat(wrongAnchor.valid()).isFalse();
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> fields() {
        return net.jqwik.api.Arbitraries.of("action", "actorId", "outcome", "resourceId", "occurredAt");
    }

    static List<ChainedEvent> chain(String chainId, int length) {
        List<ChainedEvent> events = new ArrayList<>();
        String prev = AuditChain.GENESIS_HASH;
        for (int i = 1; i <= length; i++) {
            ChainedEvent e = event(chainId, i, prev, "tenant.update");
            events.add(e);
            prev = e.hash();
        }
        return events;
    }

    static ChainedEvent event(String chainId, long sequence, String prevHash, String action) {
        String id = UUID.randomUUID().toString();
        ObjectNode content = JSON.createObjectNode()
                .put("id", id)
                .put("chainId", chainId)
                .put("sequence", sequence)
                .put("occurredAt", "2026-11-26T17:00:00." + String.format("%06d", sequence) + "Z")
                .put("actorId", "apikey:" + sequence)
                .put("action", action)
                .put("outcome", "SUCCESS")
                .put("resourceId", "r" + sequence);
        content.putObject("after").put("displayName", "Tenant " + sequence).put("quota", 1.50);
        return new ChainedEvent(id, chainId, sequence, content, prevHash, AuditChain.hash(content, prevHash));
    }
}
