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

import jakarta.inject.Inject;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import org.jboss.logging.Logger;

/**
 * An Atrium REST API called with the signed-in user's access token (the console has no rights of its own). Every
 * error answer becomes an {@link ApiProblem} carrying the problem+json detail.
 */
public abstract class ApiClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(ApiClient.class);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @Inject
    SecurityIdentity identity;

    /** Where the API is, e.g. {@code http://127.0.0.1:8080}. */
    protected abstract String baseUrl();

    /** Headers this API needs besides the user's token. */
    protected void decorate(HttpRequest.Builder request) {
    }

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

    /** A multipart/form-data POST of one file (and plain fields), answering the JSON body. */
    public <T> T postFile(String path, String fileName, String contentType, byte[] content, Map<String, String> fields, Class<T> type) {
        String boundary = "atrium-" + java.util.UUID.randomUUID();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
                + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + fileName.replace("\"", "") + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + bearer(accessToken()))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        decorate(request);
        return read(exchange(request.build(), "POST " + path), type);
    }

    private String send(String method, String path, Object body) {
        return exchange(request(method, path, body).build(), method + " " + path);
    }

    private String exchange(HttpRequest request, String what) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400) {
                throw problem(response.statusCode(), response.body());
            }
            return response.body();
        } catch (IOException e) {
            LOG.warnf("%s unreachable (%s): %s", baseUrl(), what, e.toString());
            throw ApiProblem.unreachable(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiProblem.unreachable(what, e);
        }
    }

    private HttpRequest.Builder request(String method, String path, Object body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + bearer(accessToken()))
                .header("Accept", "application/json, application/problem+json, */*");
        decorate(builder);
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

    /** The credential this API receives for the user's token (the data plane gets one exchanged for its audience). */
    protected String bearer(String userAccessToken) {
        return userAccessToken;
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
        ApiProblem problem = parseProblem(status, body);
        if (status >= 500) {
            LOG.warnf("%s answered %d: %s", baseUrl(), status, problem.getMessage());
        } else {
            LOG.debugf("%s answered %d: %s", baseUrl(), status, problem.getMessage());
        }
        return problem;
    }

    private ApiProblem parseProblem(int status, String body) {
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
