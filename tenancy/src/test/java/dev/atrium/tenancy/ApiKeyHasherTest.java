package dev.atrium.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class ApiKeyHasherTest {

    private static final byte[] PEPPER = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final ApiKeyHasher hasher = new ApiKeyHasher(PEPPER);

    @Test
    void hashIsHmacSha256OfTheKeyUnderThePepper() throws Exception {
        // RFC 4231-style independent computation with the JDK's Mac, not with the class under test.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(PEPPER, "HmacSHA256"));
        String key = ApiKeyFormat.generate(new SecureRandom());
        String expected = HexFormat.of().formatHex(mac.doFinal(key.getBytes(StandardCharsets.US_ASCII)));
        assertThat(hasher.hash(key)).isEqualTo(expected).hasSize(64);
    }

    @Test
    void knownVector() {
        // printf 'atr_test' | openssl dgst -sha256 -hmac 0123456789abcdef0123456789abcdef
        assertThat(hasher.hash("atr_test"))
                .isEqualTo("4602a260f439bd38cb183e91bb06f172aced07e50158d86dfdbe054f4c1a4947");
    }

    @Test
    void differentPeppersGiveDifferentHashes() {
        String key = ApiKeyFormat.generate(new SecureRandom());
        ApiKeyHasher other = new ApiKeyHasher("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));
        assertThat(other.hash(key)).isNotEqualTo(hasher.hash(key));
    }

    @Test
    void matchesAcceptsTheRightKeyAndRejectsOthers() {
        String key = ApiKeyFormat.generate(new SecureRandom());
        String stored = hasher.hash(key);
        assertThat(hasher.matches(key, stored)).isTrue();
        assertThat(hasher.matches(ApiKeyFormat.generate(new SecureRandom()), stored)).isFalse();
        assertThat(hasher.matches(key, null)).isFalse();
    }

    @Test
    void constantTimeEqualsComparesWholeStrings() {
        String a = "a".repeat(64);
        assertThat(ApiKeyHasher.constantTimeEquals(a, "a".repeat(64))).isTrue();
        assertThat(ApiKeyHasher.constantTimeEquals(a, "b" + "a".repeat(63))).isFalse();
        assertThat(ApiKeyHasher.constantTimeEquals(a, "a".repeat(63) + "b")).isFalse();
        assertThat(ApiKeyHasher.constantTimeEquals(a, "a".repeat(63))).isFalse();
    }

    @Test
    void shortPepperIsRefused() {
        assertThatThrownBy(() -> new ApiKeyHasher(new byte[16])).hasMessageContaining("32 bytes");
    }
}
