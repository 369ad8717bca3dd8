package dev.atrium.dataplane.metering;

import static dev.atrium.dataplane.testing.DataPlaneApi.as;
import static dev.atrium.dataplane.testing.DataPlaneApi.controlPlane;
import static dev.atrium.dataplane.testing.DataPlaneApi.fullKey;
import static dev.atrium.dataplane.testing.DataPlaneApi.knowledgeBase;
import static dev.atrium.dataplane.testing.DataPlaneApi.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.DataPlaneStack;
import dev.atrium.dataplane.testing.DataPlaneApi.Tenant;

/** Usage goes from the outbox to the control plane's ledger exactly once, even when shipping crashes half-way. */
@DataPlaneStack
class UsageMeteringTest {

    @Inject
    OutboxShipper shipper;

    private static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash() {
            super("simulated crash between send and acknowledge");
        }
    }

    private void shipEverything() throws Exception {
        while (shipper.shipBatch(OutboxShipper.Stream.USAGE, sent -> { }) > 0) {
            // until the outbox is empty
        }
    }

    @Test
    void aBatchShippedTwiceAfterACrashIsCountedOnce() throws Exception {
        shipEverything();
        Tenant tenant = tenant("metering");
        String key = fullKey(tenant);
        long embeddingTokens = 0;
        for (String text : List.of("one small text", "another small text", "a third one")) {
            embeddingTokens += as(key).body(Map.of("model", "all-minilm-l6-v2-q", "input", text)).post("/v1/embeddings")
                    .then().statusCode(200).extract().<Integer>path("usage.prompt_tokens");
        }
        String kb = knowledgeBase(key, "metered");
        as(key).body(Map.of("title", "Doc", "text", "Metering counts chunks stored. It also counts embedding tokens."))
                .post("/v1/knowledge-bases/" + kb + "/documents").then().statusCode(201);
        int completionTokens = as(key).body(Map.of("model", "chat", "messages", List.of(Map.of("role", "user", "content", "count my tokens"))))
                .post("/v1/chat/completions").then().statusCode(200).extract().path("usage.completion_tokens");

        assertThatThrownBy(() -> shipper.shipBatch(OutboxShipper.Stream.USAGE, sent -> {
            assertThat(sent).hasSizeGreaterThanOrEqualTo(5);
            throw new SimulatedCrash();
        })).isInstanceOf(SimulatedCrash.class);
        shipEverything();

        JsonPath usage = controlPlane().get(tenant.path() + "/usage").then().statusCode(200).extract().jsonPath();
        assertThat(usage.getLong("totals.requests")).isEqualTo(5);
        assertThat(usage.getLong("totals.chunksStored")).isEqualTo(1);
        assertThat(usage.getLong("totals.outputTokens")).isEqualTo(completionTokens).isPositive();
        assertThat(usage.getList("byModel.key")).containsExactly("all-minilm-l6-v2-q", "chat");
        assertThat(usage.getLong("byModel.find { it.key == 'all-minilm-l6-v2-q' }.requests")).isEqualTo(4);
        assertThat(usage.getLong("totals.embeddingTokens")).isGreaterThan(embeddingTokens);
        assertThat(usage.getList("byKey.key")).hasSize(1).doesNotContain("(none)");
    }
}
