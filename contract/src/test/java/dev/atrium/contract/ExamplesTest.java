package dev.atrium.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.UUID;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The examples and the records agree field for field: each example reads strictly (an unknown field fails), is valid,
 * and writes back to the same JSON, so a field added to a record without its example (or the other way round) fails.
 */
class ExamplesTest {

    private static final ObjectMapper STRICT = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false);
    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    static Iterable<Class<? extends Record>> messages() {
        return Examples.MESSAGES;
    }

    @ParameterizedTest
    @MethodSource("messages")
    void everyExampleReadsStrictlyIsValidAndWritesBackUnchanged(Class<? extends Record> message) throws Exception {
        JsonNode example = STRICT.readTree(Examples.of(message));
        Record read = STRICT.treeToValue(example, message);

        assertThat(VALIDATOR.validate(read)).as("violations of the %s example", message.getSimpleName()).isEmpty();
        assertThat(STRICT.readTree(STRICT.writeValueAsString(read))).as("%s written back", message.getSimpleName()).isEqualTo(example);
    }

    @Test
    void aFieldTheRecordDoesNotKnowIsRefused() throws Exception {
        ObjectNode example = (ObjectNode) STRICT.readTree(Examples.of(BatchReceipt.class));
        example.put("rejected", 3);

        assertThatThrownBy(() -> STRICT.treeToValue(example, BatchReceipt.class))
                .hasMessageContaining("rejected");
    }

    @Test
    void anAuditEventWithAForgedActorIsInvalid() throws Exception {
        ObjectNode batch = (ObjectNode) STRICT.readTree(Examples.of(AuditEventBatch.class));
        ((ObjectNode) batch.get("events").get(0)).put("actorId", "system:control-plane");

        Set<ConstraintViolation<AuditEventBatch>> violations = VALIDATOR.validate(STRICT.treeToValue(batch, AuditEventBatch.class));

        assertThat(violations).extracting(v -> v.getPropertyPath().toString()).containsExactly("events[0].actorId");
    }

    @Test
    void usageCountersLeftOutAreZero() throws Exception {
        String minimal = """
                {"events": [{"id": "%s", "tenantId": "%s", "operation": "rag.query", "occurredAt": "2026-11-29T10:00:00Z"}]}
                """.formatted(UUID.randomUUID(), UUID.randomUUID());

        UsageEvent event = STRICT.readValue(minimal, UsageBatch.class).events().getFirst();

        assertThat(event.requests()).isZero();
        assertThat(event.inputTokens()).isZero();
        assertThat(event.gpuSeconds()).isZero();
        assertThat(event.guardrails()).isEmpty();
    }

    @Test
    void credentialsNeverAppearInToString() throws Exception {
        KeyIntrospectionRequest key = STRICT.readValue(Examples.of(KeyIntrospectionRequest.class), KeyIntrospectionRequest.class);
        TokenIntrospectionRequest token = STRICT.readValue(Examples.of(TokenIntrospectionRequest.class), TokenIntrospectionRequest.class);
        SecretValue secret = STRICT.readValue(Examples.of(SecretValue.class), SecretValue.class);

        assertThat(key.toString()).doesNotContain(key.key());
        assertThat(token.toString()).doesNotContain(token.token());
        assertThat(secret.toString()).doesNotContain(secret.value());
    }
}
