package dev.atrium.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantSlugTest {

    @ParameterizedTest
    @ValueSource(strings = {"acme", "acme-corp", "a1b", "123", "abcdefghijabcdefghijabcdefghijabcdefghij"})
    void acceptsDnsLabels(String slug) {
        assertThat(TenantSlug.violation(slug)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ab", "Acme", "-acme", "acme-", "ac_me", "ac.me", "ac me", "acme--corp", "ünï",
            "admin", "platform", "kube-system"})
    void rejectsEverythingElse(String slug) {
        assertThat(TenantSlug.violation(slug)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(ints = {41, 63, 64})
    void rejectsTooLong(int length) {
        assertThat(TenantSlug.violation("a".repeat(length))).contains("must be 3 to 40 characters long");
    }

    @Property
    void anyUppercaseLetterMakesASlugInvalid(@ForAll @StringLength(min = 1, max = 20) String suffix) {
        assertThat(TenantSlug.isValid("Abc" + suffix.toLowerCase())).isFalse();
    }

    @Property
    void validSlugsAreExactlyLowercaseDnsLabels(@ForAll @StringLength(min = 3, max = 40) String candidate) {
        boolean dnsLabel = candidate.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") && !candidate.contains("--");
        if (!dnsLabel) {
            assertThat(TenantSlug.isValid(candidate)).isFalse();
        }
    }
}
