package dev.atrium.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ApiKeyFormatTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void generatedKeyHasDocumentedShape() {
        String key = ApiKeyFormat.generate(RANDOM);
        assertThat(key).startsWith("atr_").hasSize(50).matches("atr_[0-9A-Za-z]{46}");
    }

    @Test
    void findsValidKeysInsideTextButNotLookAlikes() {
        String key = ApiKeyFormat.generate(RANDOM);
        assertThat(ApiKeyFormat.containsKey("{\"secret\":\"" + key + "\"}")).isTrue();
        assertThat(ApiKeyFormat.containsKey("Bearer " + key + " trailing")).isTrue();
        // same shape, wrong checksum (last character changed), and a truncated key
        char last = key.charAt(key.length() - 1);
        String typo = key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');
        assertThat(ApiKeyFormat.containsKey("{\"secret\":\"" + typo + "\"}")).isFalse();
        assertThat(ApiKeyFormat.containsKey(key.substring(0, 30))).isFalse();
        assertThat(ApiKeyFormat.containsKey(key + "X")).as("a longer token is not a key").isFalse();
        assertThat(ApiKeyFormat.containsKey(null)).isFalse();
    }

    @Test
    void generatedKeysAreUnique() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            keys.add(ApiKeyFormat.generate(RANDOM));
        }
        assertThat(keys).hasSize(10_000);
    }

    @Property(tries = 500)
    void generatedKeysParseBackToThemselves(@ForAll("seeds") long seed) {
        String key = ApiKeyFormat.generate(new SecureRandom(longToBytes(seed)));
        ApiKeyFormat.ParsedApiKey parsed = ApiKeyFormat.parse(key);
        assertThat(parsed.secret()).isEqualTo(key);
        assertThat(parsed.displayPrefix()).isEqualTo(key.substring(0, 12));
        assertThat(parsed.toString()).doesNotContain(key.substring(12));
    }

    @Property(tries = 1000)
    void anySingleCharacterTypoIsRejected(@ForAll @IntRange(min = 4, max = 49) int position,
                                          @ForAll("base62") char replacement) {
        String key = ApiKeyFormat.generate(RANDOM);
        if (key.charAt(position) == replacement) {
            return;
        }
        String typo = key.substring(0, position) + replacement + key.substring(position + 1);
        assertThatThrownBy(() -> ApiKeyFormat.parse(typo))
                .isInstanceOf(InvalidApiKeyException.class)
                .hasMessageContaining("checksum");
    }

    @Property(tries = 500)
    void swappedNeighboursAreRejected(@ForAll @IntRange(min = 4, max = 48) int position) {
        String key = ApiKeyFormat.generate(RANDOM);
        char a = key.charAt(position);
        char b = key.charAt(position + 1);
        if (a == b) {
            return;
        }
        String swapped = key.substring(0, position) + b + a + key.substring(position + 2);
        assertThatThrownBy(() -> ApiKeyFormat.parse(swapped)).isInstanceOf(InvalidApiKeyException.class);
    }

    @Test
    void wrongPrefixLengthAndAlphabetAreRejectedWithReasons() {
        String key = ApiKeyFormat.generate(RANDOM);
        assertThatThrownBy(() -> ApiKeyFormat.parse("sk_" + key.substring(3)))
                .hasMessageContaining("must start with 'atr_'");
        assertThatThrownBy(() -> ApiKeyFormat.parse(key + "x")).hasMessageContaining("50 characters");
        assertThatThrownBy(() -> ApiKeyFormat.parse(key.substring(0, 49))).hasMessageContaining("50 characters");
        assertThatThrownBy(() -> ApiKeyFormat.parse(key.substring(0, 20) + "-" + key.substring(21)))
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> ApiKeyFormat.parse(null)).isInstanceOf(InvalidApiKeyException.class);
    }

    @Test
    void errorMessagesNeverEchoTheKey() {
        String key = ApiKeyFormat.generate(RANDOM);
        String broken = key.substring(0, 49) + (key.charAt(49) == 'A' ? 'B' : 'A');
        assertThatThrownBy(() -> ApiKeyFormat.parse(broken))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(broken.substring(4, 20)));
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Provide
    Arbitrary<Character> base62() {
        return Arbitraries.chars().range('0', '9').range('A', 'Z').range('a', 'z');
    }

    private static byte[] longToBytes(long seed) {
        byte[] bytes = new byte[8];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
