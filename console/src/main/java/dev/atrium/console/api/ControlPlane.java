package dev.atrium.console.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The control plane's public REST API, called with the signed-in user's access token (the console has no rights of
 * its own). Every error answer becomes an {@link ApiProblem} carrying the problem+json detail.
 */
@ApplicationScoped
public class ControlPlane {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @ConfigProperty(name = "atrium.control-plane.url")
    String baseUrl;

    @Inject
    SecurityIdentity identity;

    public ObjectMapper json() {
        return json;
    }

    public <T> T get(String path, Class<T> type) {
        return read(send("GET", path, null), type);
    }

    public <T> T get(String path, TypeReference<T> type) {
        String body = send("GET", path, null);
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new IllegalStateException("unexpected answer from " + path, e);
        }
    }

    /** A text answer as it is (Markdown model cards). */
    public String text(String path) {
        return send("GET", path, null);
    }

    public <T> T post(String path, Object body, Class<T> type) {
        return read(send("POST", path, body), type);
    }

    public <T> T put(String path, Object body, Class<T> type) {
        return read(send("PUT", path, body), type);
    }

    public <T> T patch(String path, Object body, Class<T> type) {
        return read(send("PATCH", path, body), type);
    }

    public void delete(String path) {
        send("DELETE", path, null);
    }

    /** A binary download (export content, PDF cards); the caller closes the stream. */
    public Download download(String path) {
        HttpRequest request = request("GET", path, null).build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() >= 400) {
                try (InputStream body = response.body()) {
                    throw problem(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            return new Download(response.headers().firstValue("Content-Type").orElse("application/octet-stream"),
                    response.headers().firstValueAsLong("Content-Length").orElse(-1), response.body());
        } catch (IOException e) {
            throw ApiProblem.unreachable(path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiProblem.unreachable(path, e);
        }
    }

    public record Download(String contentType, long length, InputStream body) {
    }

    /** Builds a path with URL-encoded query parameters; blank values are left out. */
    public static String path(String path, Object... nameValuePairs) {
        Map<String, String> query = new LinkedHashMap<>();
        for (int i = 0; i + 1 < nameValuePairs.length; i += 2) {
            Object value = nameValuePairs[i + 1];
            if (value != null && !value.toString().isBlank()) {
                query.put(nameValuePairs[i].toString(), value.toString());
            }
        }
        if (query.isEmpty()) {
            return path;
        }
        StringJoiner joined = new StringJoiner("&", path + "?", "");
        query.forEach((name, value) -> joined.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return joined.toString();
    }

    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String send(String method, String path, Object body) {
        HttpRequest request = request(method, path, body).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400) {
                throw problem(response.statusCode(), response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw ApiProblem.unreachable(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiProblem.unreachable(method + " " + path, e);
        }
    }

    private HttpRequest.Builder request(String method, String path, Object body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + accessToken())
                .header("Accept", "application/json, application/problem+json, */*");
        if (body == null) {
            return builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return builder.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialise request body", e);
        }
    }

    private String accessToken() {
        AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
        if (credential == null) {
            throw new ApiProblem(401, "Not signed in", "Your session has ended; reload the page to sign in again.", List.of());
        }
        return credential.getToken();
    }

    private <T> T read(String body, Class<T> type) {
        if (type == Void.class || body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new IllegalStateException("unexpected answer from the control plane", e);
        }
    }

    private ApiProblem problem(int status, String body) {
        try {
            JsonNode problem = json.readTree(body);
            if (problem instanceof ObjectNode) {
                List<ApiProblem.FieldError> errors = problem.has("errors")
                        ? json.convertValue(problem.get("errors"), new TypeReference<List<ApiProblem.FieldError>>() { })
                        : List.of();
                return new ApiProblem(status, problem.path("title").asText("Error " + status),
                        problem.path("detail").asText(null), errors);
            }
        } catch (IOException | IllegalArgumentException notJson) {
            // fall through: not a problem document
        }
        return new ApiProblem(status, "Error " + status, body == null || body.isBlank() ? null : body.strip(), List.of());
    }
}
