package dev.atrium.dataplane.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Calls OpenAI-compatible backends over HTTP/1.1 with the JDK's client: the route's per-attempt timeout and bearer
 * key, retries with exponential backoff (at most 5 s, or what {@code Retry-After} asks, capped the same) on 429, 5xx
 * and connection failures, counted in {@code atrium_upstream_retries_total{model}}.
 */
@ApplicationScoped
public class OpenAiCompatibleUpstream implements UpstreamModels {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry metrics;

    @Override
    public Reply post(Route route, String path, ObjectNode request) throws UpstreamUnavailableException {
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
                metrics.counter("atrium.upstream.retries", "model", route.metricName()).increment();
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
                // the timeout above covers the headers; the body gets the same budget again, as a whole when it is one
                // answer, or between events when it is streamed
                boolean streamed = request.path("stream").asBoolean(false);
                return new Reply(route, status, WatchedBody.of(response.body(), route.upstream().timeout(),
                        streamed ? null : route.upstream().timeout()));
            } catch (IOException e) {
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UpstreamUnavailableException(route.name() + " was interrupted");
            }
        }
        throw new UpstreamUnavailableException(route.name() + " gave " + failure + " after " + (route.upstream().retries() + 1) + " attempts");
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
}
