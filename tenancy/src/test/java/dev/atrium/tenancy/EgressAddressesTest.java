package dev.atrium.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EgressAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8000/v1", "http://localhost/v1", "http://10.0.0.5/v1", "http://172.16.3.4/v1",
            "http://192.168.1.1/v1", "http://169.254.169.254/latest/meta-data", "http://[::1]/v1", "http://[fd00::1]/v1",
            "http://100.64.0.1/v1", "http://0.0.0.0/v1", "http://metadata.google.internal/computeMetadata/v1",
            "http://api.svc.cluster.local/v1", "http://[fe80::1]/v1", "http://224.0.0.1/v1",
            // the same hosts written otherwise
            "http://localhost./v1", "http://metadata.google.internal./v1", "http://2130706433/v1",
            "http://[::ffff:127.0.0.1]/v1", "http://[::ffff:169.254.169.254]/v1", "http://[64:ff9b::a9fe:a9fe]/v1",
            "http://[2002:a9fe:a9fe::1]/v1", "http://[::127.0.0.1]/v1",
            // other ranges that are never a provider's
            "http://198.18.0.1/v1", "http://240.0.0.1/v1", "http://255.255.255.255/v1", "http://168.63.129.16/v1"})
    void addressesOfThePlatformsOwnNetworkAreRefused(String url) {
        assertThat(EgressAddresses.refusal(url, false, true)).isPresent();
        assertThat(EgressAddresses.refusal(url, true, true)).as("allowed when the operator allows private upstreams").isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aRefusalSaysNothingAboutWhatTheHostResolvedTo() {
        assertThat(EgressAddresses.refusal("http://10.96.0.1/v1", false, true)).hasValue(EgressAddresses.REFUSED);
        assertThat(EgressAddresses.refusal("http://no-such-host.invalid/v1", false, true)).hasValue(EgressAddresses.REFUSED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://0x7f.1/v1", "http://127.1/v1", "file:///etc/passwd", "ftp://example.com/x", "http://user:pass@example.com/v1",
            "https://example.com/v1?key=sk-123", "/relative/path", "https://example.com/v1#frag"})
    void onlyPlainHttpUrlsWithAHostAreAccepted(String url) {
        assertThat(EgressAddresses.refusal(url, true, false)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://8.8.8.8/v1", "https://[2001:4860:4860::8888]/v1", "https://api.openai.com/v1"})
    void publicAddressesAreAccepted(String url) {
        // a host name is not looked up here (resolve=false): no DNS is needed to run this test
        assertThat(EgressAddresses.refusal(url, false, false)).isEmpty();
    }
}
