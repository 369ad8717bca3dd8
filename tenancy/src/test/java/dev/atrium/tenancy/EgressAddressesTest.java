package dev.atrium.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EgressAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8000/v1", "http://localhost/v1", "http://10.0.0.5/v1", "http://172.16.3.4/v1",
            "http://192.168.1.1/v1", "http://169.254.169.254/latest/meta-data", "http://[::1]/v1", "http://[fd00::1]/v1",
            "http://100.64.0.1/v1", "http://0.0.0.0/v1", "http://metadata.google.internal/computeMetadata/v1",
            "http://api.svc.cluster.local/v1", "http://[fe80::1]/v1", "http://224.0.0.1/v1"})
    void addressesOfThePlatformsOwnNetworkAreRefused(String url) {
        assertThat(EgressAddresses.refusal(url, false, true)).isPresent();
        assertThat(EgressAddresses.refusal(url, true, true)).as("allowed when the operator allows private upstreams").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://example.com/x", "http://user:pass@example.com/v1",
            "https://example.com/v1?key=sk-123", "/relative/path", "https://example.com/v1#frag"})
    void onlyPlainHttpUrlsAreAccepted(String url) {
        assertThat(EgressAddresses.refusal(url, true, false)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://8.8.8.8/v1", "https://[2001:4860:4860::8888]/v1", "https://api.openai.com/v1"})
    void publicAddressesAreAccepted(String url) {
        // a host name is not looked up here (resolve=false): no DNS is needed to run this test
        assertThat(EgressAddresses.refusal(url, false, false)).isEmpty();
    }
}
