package dev.atrium.console.api;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Exchanges the signed-in person's access token for one whose only audience is the data plane (Keycloak's standard
 * token exchange, RFC 8693), so a data plane never holds a token the control plane's public API would accept. The
 * exchanged token is reused until shortly before it expires; only a hash of the person's token is kept as the key.
 */
@ApplicationScoped
public class DataPlaneTokens {

    static final String AUDIENCE = "atrium-data-plane";
    private static final int MAX_CACHED = 10_000;

    @ConfigProperty(name = "atrium.keycloak.url")
    String keycloakUrl;

    @ConfigProperty(name = "quarkus.oidc.client-id")
    String clientId;

    @ConfigProperty(name = "quarkus.oidc.credentials.secret")
    String clientSecret;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Exchanged> cache = new ConcurrentHashMap<>();

    private record Exchanged(String token, Instant renewAt) {
    }

    public String exchange(String accessToken) {
        String key = sha256(accessToken);
        Exchanged cached = cache.get(key);
        Instant now = Instant.now();
        if (cached != null && now.isBefore(cached.renewAt())) {
            return cached.token();
        }
        Exchanged fresh = request(accessToken, now);
        if (cache.size() >= MAX_CACHED) {
            cache.entrySet().removeIf(entry -> !now.isBefore(entry.getValue().renewAt()));
        }
        if (cache.size() < MAX_CACHED) {
            cache.put(key, fresh);
        }
        return fresh.token();
    }

    private Exchanged request(String accessToken, Instant now) {
        StringJoiner form = new StringJoiner("&");
        for (String[] field : new String[][] {
                {"grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"},
                {"client_id", clientId}, {"client_secret", clientSecret},
                {"subject_token", accessToken}, {"subject_token_type", "urn:ietf:params:oauth:token-type:access_token"},
                {"requested_token_type", "urn:ietf:params:oauth:token-type:access_token"}, {"audience", AUDIENCE}}) {
            form.add(field[0] + "=" + URLEncoder.encode(field[1], StandardCharsets.UTF_8));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(keycloakUrl + "/realms/atrium/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new ApiProblem(502, "Sign-in service refused", "Keycloak did not exchange the session's token for the "
                        + "data plane (HTTP " + response.statusCode() + "); reload the page to sign in again.", List.of());
            }
            JsonNode body = json.readTree(response.body());
            long lifetime = body.path("expires_in").asLong(60);
            return new Exchanged(body.path("access_token").asText(), now.plusSeconds(Math.max(0, lifetime - 30)));
        } catch (IOException e) {
            throw ApiProblem.unreachable("the sign-in service", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiProblem.unreachable("the sign-in service", e);
        }
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
