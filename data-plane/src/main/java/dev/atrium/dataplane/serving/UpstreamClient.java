package dev.atrium.dataplane.serving;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.Problem;

/**
 * Calls OpenAI-compatible backends: per-attempt timeout, retries with exponential backoff (honouring
 * {@code Retry-After}) on 429, 5xx and connection failures, then the route's fallback backend if there is one and
 * the serving gate lets the tenant use it.
 * A 4xx other than 429 is the caller's error and is returned as it is, without retrying.
 */
@ApplicationScoped
public class UpstreamClient {

    private static final Logger LOG = Logger.getLogger(UpstreamClient.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    @Inject
    ModelRouter router;

    @Inject
    ModelApprovals approvals;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry metrics;

    /** An upstream answer, with the route that produced it (the fallback, when it came to that). */
    public record Answer(ModelRouter.Route route, int status, InputStream body) {
    }

    /**
     * Posts {@code request} (its {@code model} is rewritten for each backend) to {@code path}, e.g.
     * {@code /chat/completions}. The caller has passed {@code route} through the serving gate; every fallback must
     * pass it too, or it is skipped (logged, counted in {@code atrium_upstream_fallbacks_skipped_total}) for the
     * next fallback in line.
     */
    public Answer post(UUID tenantId, ModelRouter.Route route, String path, ObjectNode request) {
        ModelRouter.Route current = route;
        String lastFailure = null;
        java.util.Set<String> tried = new java.util.HashSet<>();
        while (current != null && tried.add(current.name())) {
            try {
                return attempt(current, path, request);
            } catch (UpstreamFailure failure) {
                lastFailure = failure.getMessage();
                ModelRouter.Route fallback = router.fallback(tenantId, current);
                while (fallback != null && !tried.contains(fallback.name()) && !servable(tenantId, current, fallback)) {
                    lastFailure += "; fallback " + fallback.name() + " skipped (not approved for serving)";
                    tried.add(fallback.name());
                    fallback = router.fallback(tenantId, fallback);
                }
                if (fallback != null && !tried.contains(fallback.name())) {
                    LOG.warnf("model %s failed (%s); falling back to %s", current.name(), lastFailure, fallback.name());
                    metrics.counter("atrium.upstream.fallbacks", "model", current.name()).increment();
                }
                current = fallback;
            }
        }
        throw new ApiException(Problem.UPSTREAM_FAILED, "the model backend failed: " + lastFailure);
    }

    /** The serving gate for a fallback: the registry must have an APPROVED version of it for this tenant. */
    private boolean servable(UUID tenantId, ModelRouter.Route failed, ModelRouter.Route fallback) {
        try {
            approvals.requireApproved(tenantId, new ModelApprovals.Requested(fallback.name(), null), "model");
            return true;
        } catch (ApiException refused) {
            LOG.warnf("model %s failed; its fallback %s is not served to tenant %s: %s", failed.name(), fallback.name(), tenantId,
                    refused.getMessage());
            metrics.counter("atrium.upstream.fallbacks.skipped", "model", fallback.name(), "reason", refused.problem().slug()).increment();
            return false;
        }
    }

    private Answer attempt(ModelRouter.Route route, String path, ObjectNode request) throws UpstreamFailure {
        ObjectNode body = request.deepCopy();
        body.put("model", route.upstreamModel());
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(route.upstream().url().toString().replaceAll("/$", "") + path))
                .timeout(route.upstream().timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        route.upstream().apiKey().ifPresent(key -> builder.header("Authorization", "Bearer " + key));
        HttpRequest httpRequest = builder.build();
        Duration backoff = route.upstream().initialBackoff();
        String failure = null;
        for (int attempt = 0; attempt <= route.upstream().retries(); attempt++) {
            if (attempt > 0) {
                sleep(backoff);
                backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
                metrics.counter("atrium.upstream.retries", "model", route.name()).increment();
            }
            try {
                HttpResponse<InputStream> response = http.send(httpRequest, HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                if (status == 429 || status >= 500) {
                    failure = "HTTP " + status;
                    OptionalLong retryAfter = response.headers().firstValueAsLong("Retry-After");
                    if (retryAfter.isPresent()) {
                        backoff = min(Duration.ofSeconds(retryAfter.getAsLong()), MAX_BACKOFF);
                    }
                    response.body().close();
                    continue;
                }
                return new Answer(route, status, response.body());
            } catch (IOException e) {
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(Problem.UPSTREAM_FAILED, "interrupted");
            }
        }
        throw new UpstreamFailure(route.name() + " gave " + failure + " after " + (route.upstream().retries() + 1) + " attempts");
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class UpstreamFailure extends Exception {
        UpstreamFailure(String message) {
            super(message, null, false, false);
        }
    }
}
