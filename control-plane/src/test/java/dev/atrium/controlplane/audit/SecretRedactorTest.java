package dev.atrium.controlplane.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {

    @ParameterizedTest
    @ValueSource(strings = {"secret", "clientSecret", "client_secret", "password", "dbPassword", "accessToken",
            "refresh-token", "apiKey", "api_key", "keyHash", "privateKey", "value", "credentials", "pepper"})
    void secretLookingNamesAreRedacted(String name) {
        assertThat(SecretRedactor.isSecretName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"maxApiKeys", "monthlyTokens", "displayName", "tokensUsed", "prefix", "scopes", "valueType",
            "status", "slug"})
    void ordinaryNamesAreKept(String name) {
        assertThat(SecretRedactor.isSecretName(name)).isFalse();
    }

    @Test
    void redactsNestedObjectsAndArraysButKeepsNulls() throws Exception {
        JsonNode tree = new ObjectMapper().readTree("""
                {"name": "n", "token": "t0ps3cret", "nested": {"password": "hunter2", "list": [{"secret": "s"}]},
                 "apiKey": null, "maxApiKeys": 5}""");
        String redacted = SecretRedactor.redact(tree).toString();
        assertThat(redacted).doesNotContain("t0ps3cret", "hunter2", "\"s\"")
                .contains("\"apiKey\":null", "\"maxApiKeys\":5", "\"name\":\"n\"", SecretRedactor.REDACTED);
    }
}
