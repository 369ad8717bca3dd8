package dev.atrium.dataplane.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.common.Problem;
import dev.atrium.dataplane.guardrail.GuardrailDecisions;
import dev.atrium.dataplane.guardrail.Guardrails;
import dev.atrium.dataplane.metering.Usage;
import dev.atrium.dataplane.metering.UsageOutbox;
import dev.atrium.dataplane.upstream.LimitedBody;
import dev.atrium.dataplane.upstream.Route;
import dev.atrium.dataplane.upstream.UpstreamModels;
import dev.atrium.dataplane.upstream.UpstreamUnavailableException;

/**
 * Copies of requests sent to a shadow rollout's candidate after the caller's request was admitted: never streamed,
 * never returned. What the candidate answered is measured (failure, latency, the PII guardrail on its answer) for the
 * rollout, and its tokens are metered as operation {@code <operation>.shadow} under {@code name@version}, so its cost
 * shows; the answer's text is not kept. Copies run on a small pool of their own and are dropped when it is busy
 * ({@code atrium_rollout_shadow_dropped_total}): a shadow never slows or fails the caller's request.
 */
@ApplicationScoped
public class ShadowTraffic {

    private static final Logger LOG = Logger.getLogger(ShadowTraffic.class);

    @Inject
    UpstreamModels upstream;

    @Inject
    Guardrails guardrails;

    @Inject
    UsageOutbox usage;

    @Inject
    RolloutMeter meter;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry metrics;

    @Inject
    DataPlaneConfig config;

    private ThreadPoolExecutor pool;

    @PostConstruct
    void start() {
        int threads = config.deployments().maxShadowCalls();
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(threads * 4),
                Thread.ofPlatform().name("shadow-", 0).daemon().factory(), (task, executor) ->
                metrics.counter("atrium.rollout.shadow.dropped").increment());
        pool.allowCoreThreadTimeOut(true);
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    /** Sends a copy of {@code request} to {@code candidate} later, on the shadow pool. */
    void copy(UUID tenantId, UUID keyId, String operation, Route candidate, ObjectNode request) {
        ObjectNode copy = request.deepCopy();
        copy.put("stream", false);
        copy.remove("stream_options");
        pool.execute(() -> call(tenantId, keyId, operation, candidate, copy));
    }

    private void call(UUID tenantId, UUID keyId, String operation, Route candidate, ObjectNode request) {
        long started = System.nanoTime();
        JsonNode answer;
        try {
            UpstreamModels.Reply reply = upstream.post(candidate, "/chat/completions", request);
            // timed to the answer's headers, as the calls that answer callers are
            long millis = (System.nanoTime() - started) / 1_000_000;
            try (InputStream body = LimitedBody.of(reply.body(), ChatGateway.MAX_ANSWER_BYTES)) {
                answer = json.readTree(body);
            }
            meter.served(tenantId, candidate, millis, reply.status() >= 500 || ChatGateway.refusedByBackend(reply.status()));
            if (reply.status() >= 400) {
                return;
            }
        } catch (UpstreamUnavailableException | IOException | RuntimeException failed) {
            meter.served(tenantId, candidate, (System.nanoTime() - started) / 1_000_000, true);
            LOG.debugf("shadow call to %s@%s failed: %s", candidate.name(), candidate.version(), failed.getMessage());
            return;
        }
        GuardrailDecisions decisions = new GuardrailDecisions();
        try {
            for (JsonNode choice : answer.path("choices")) {
                JsonNode content = choice.path("message").path("content");
                if (content.isTextual()) {
                    guardrails.screenPii(tenantId, content.asText(), decisions, "the shadow answer");
                }
            }
        } catch (ApiException blocked) {
            if (blocked.problem() == Problem.GUARDRAIL_BLOCKED) {
                meter.answerBlocked(tenantId, candidate);
            }
        }
        JsonNode tokens = answer.path("usage");
        usage.record(new Usage(tenantId, keyId, operation + ".shadow", candidate.name() + "@" + candidate.version(),
                tokens.path("prompt_tokens").asLong(), tokens.path("completion_tokens").asLong(), 0, 0, decisions.counts()));
    }
}
