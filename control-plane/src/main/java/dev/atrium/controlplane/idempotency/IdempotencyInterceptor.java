package dev.atrium.controlplane.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.core.http.HttpServerRequest;

import dev.atrium.compliance.audit.CanonicalJson;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.common.Rows;
import dev.atrium.controlplane.common.ShownOnce;
import dev.atrium.controlplane.identity.CallerContext;
import dev.atrium.tenancy.ApiKeyFormat;

/**
 * Implements {@link Idempotent}. The stored response is written in the same transaction as the mutation, so
 * "created" and "remembered" cannot diverge. A concurrent request with the same key blocks on the primary key
 * until the first commits, then replays its response. One-time secrets ({@link ShownOnce}) are stored and replayed
 * without the secret, and no body that still holds an API key is ever stored.
 */
@Idempotent
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 300)
public class IdempotencyInterceptor {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final int MAX_KEY_LENGTH = 255;

    @Inject
    HttpServerRequest request;

    @Inject
    CallerContext callerContext;

    @Inject
    EntityManager entityManager;

    @Inject
    ObjectMapper objectMapper;

    @AroundInvoke
    Object idempotent(InvocationContext invocation) throws Exception {
        String key = request.getHeader(HEADER);
        if (key == null) {
            return invocation.proceed();
        }
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw ApiException.invalid(HEADER, "must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        String principal = callerContext.require().actorId();
        String fingerprint = fingerprint(invocation);
        return QuarkusTransaction.joiningExisting().call(() -> {
            int claimed = entityManager.createNativeQuery("""
                            INSERT INTO idempotency_record (principal, idempotency_key, fingerprint, response_status, created_at)
                            VALUES (?1, ?2, ?3, 0, ?4) ON CONFLICT DO NOTHING""")
                    .setParameter(1, principal).setParameter(2, key).setParameter(3, fingerprint)
                    .setParameter(4, Instant.now())
                    .executeUpdate();
            if (claimed == 0) {
                return replay(principal, key, fingerprint);
            }
            Object result = invocation.proceed();
            remember(principal, key, result);
            return result;
        });
    }

    private Response replay(String principal, String key, String fingerprint) throws JsonProcessingException {
        StoredResponse stored = storedResponse(Rows.tuple(entityManager.createNativeQuery("""
                        SELECT fingerprint, response_status, response_body, response_headers
                        FROM idempotency_record WHERE principal = ?1 AND idempotency_key = ?2""", Tuple.class)
                .setParameter(1, principal).setParameter(2, key)));
        if (!fingerprint.equals(stored.fingerprint())) {
            throw new ApiException(ProblemType.IDEMPOTENCY_KEY_REUSED,
                    "Idempotency-Key '" + key + "' was already used for a different request");
        }
        Response.ResponseBuilder builder = Response.status(stored.status()).header(REPLAYED_HEADER, "true");
        if (stored.body() != null) {
            builder.entity(objectMapper.readTree(stored.body())).type("application/json");
        }
        if (stored.headers() != null) {
            JsonNode headers = objectMapper.readTree(stored.headers());
            headers.properties().forEach(h -> builder.header(h.getKey(), h.getValue().asText()));
        }
        return builder.build();
    }

    /** A remembered request: its fingerprint and the response to replay. */
    private record StoredResponse(String fingerprint, int status, String body, String headers) {
    }

    private static StoredResponse storedResponse(Tuple row) {
        return new StoredResponse(row.get("fingerprint", String.class), row.get("response_status", Integer.class),
                row.get("response_body", String.class), row.get("response_headers", String.class));
    }

    private void remember(String principal, String key, Object result) throws JsonProcessingException {
        if (!(result instanceof Response response)) {
            throw new IllegalStateException("@Idempotent methods must return a Response");
        }
        var headers = objectMapper.createObjectNode();
        for (String name : List.of(HttpHeaders.LOCATION, HttpHeaders.ETAG)) {
            String value = response.getHeaderString(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        Object entity = response.getEntity() instanceof ShownOnce once ? once.withoutSecret() : response.getEntity();
        String body = entity == null ? null : objectMapper.writeValueAsString(entity);
        if (ApiKeyFormat.containsKey(body)) {
            throw new IllegalStateException("refusing to store a response that holds an API key for replay");
        }
        entityManager.createNativeQuery("""
                        UPDATE idempotency_record SET response_status = ?3, response_body = ?4, response_headers = ?5
                        WHERE principal = ?1 AND idempotency_key = ?2""")
                .setParameter(1, principal).setParameter(2, key).setParameter(3, response.getStatus())
                .setParameter(4, body).setParameter(5, headers.toString())
                .executeUpdate();
    }

    /** Method, path and the canonical JSON of the body: a different body under the same key is a different request. */
    private String fingerprint(InvocationContext invocation) {
        StringBuilder material = new StringBuilder(request.method().name()).append(' ').append(request.path());
        for (Object argument : invocation.getParameters()) {
            material.append('\n');
            material.append(argument == null ? "null" : CanonicalJson.write(objectMapper.valueToTree(argument)));
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(material.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
