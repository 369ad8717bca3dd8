package dev.atrium.controlplane.trail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
    void credentialsInsideValuesAreRedacted() throws Exception {
        JsonNode tree = new ObjectMapper().readTree("""
                {"artifactUri": "s3://AKIAABCDEFGHIJKLMNOP:wJalrXUtnFEMI@models/llama/v1", "endpoint": "https://bob:hunter2@example.com/v1",
                 "note": "uses sk-proj-abcdefghijklmnopqrstuvwx and Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
                 "key": "atr_0123456789ABCDEFGHIJabcdefghij0123456789ABCDEF", "aws": "AKIAABCDEFGHIJKLMNOP",
                 "list": ["ghp_abcdefghijklmnopqrstuvwxyz0123456789", "plain"], "description": "a model for https://example.com/docs"}""");
        String redacted = SecretRedactor.redact(tree).toString();
        assertThat(redacted).doesNotContain("wJalrXUtnFEMI", "hunter2", "bob:", "sk-proj-abcdefghijkl", "eyJhbGciOiJIUzI1NiJ9",
                        "atr_0123456789", "AKIAABCDEFGHIJKLMNOP", "ghp_abcdef")
                .contains("s3://[REDACTED]@models/llama/v1", "https://[REDACTED]@example.com/v1", "\"plain\"",
                        "https://example.com/docs");
    }

    @Test
    void manyTokenLookalikesInARowStayCheap() {
        // every "eyJ" starts a JWT candidate that never finds its dot: each may cost the header's bound, not the text's
        String hostile = "eyJ-".repeat(50_000) + " sk-".repeat(50_000);
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        String redacted = SecretRedactor.redactValue(hostile);
        assertThat(java.time.Duration.ofNanos(threads.getCurrentThreadCpuTime() - start)).isLessThan(java.time.Duration.ofSeconds(1));
        assertThat(redacted).isEqualTo(hostile);
        assertThat(SecretRedactor.redactValue("Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl"))
                .doesNotContain("eyJzdWIiOiJhbGljZSJ9");
    }

    @Test
    void valueScanStaysLinearOnHostileInput() {
        String hostile = "a://" + "x".repeat(200_000) + " eyJ" + "a".repeat(200_000) + "." + "sk-".repeat(50_000);
        // processor time of this thread, not wall-clock time, so a busy machine does not fail the test; a backtracking
        // pattern would take minutes on this input, a linear one milliseconds
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        SecretRedactor.redactValue(hostile);
        assertThat(java.time.Duration.ofNanos(threads.getCurrentThreadCpuTime() - start)).isLessThan(java.time.Duration.ofSeconds(2));
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
