package dev.atrium.dataplane.common;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * One place that turns failures into responses: OpenAI's error JSON ({@code {"error": {message, type, param, code}}})
 * under the OpenAI-compatible paths, so SDKs raise their usual exceptions, and RFC 7807 problem+json elsewhere.
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);
    private static final Set<String> OPENAI_PATHS = Set.of("/v1/chat/completions", "/v1/embeddings", "/v1/models");

    public static boolean isOpenAiPath(String path) {
        return OPENAI_PATHS.stream().anyMatch(path::startsWith);
    }

    public static Response render(Problem problem, String detail, String param, String path) {
        if (isOpenAiPath(path)) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("message", detail);
            error.put("type", problem.openAiType());
            error.put("param", param);
            error.put("code", problem.slug());
            return Response.status(problem.status()).type("application/json").entity(Map.of("error", error)).build();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", detail);
        body.put("instance", path);
        if (param != null) {
            body.put("errors", List.of(Map.of("field", param, "message", detail)));
        }
        return Response.status(problem.status()).type("application/problem+json").entity(body).build();
    }

    /** The response for a domain error, with its {@code Retry-After} if it has one. */
    public static Response render(ApiException e, String path) {
        Response response = render(e.problem(), e.getMessage(), e.param(), path);
        return e.retryAfterSeconds() > 0 ? Response.fromResponse(response).header("Retry-After", e.retryAfterSeconds()).build() : response;
    }

    @ServerExceptionMapper
    public Response apiException(ApiException e, UriInfo uri) {
        return render(e, uri.getPath());
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        ConstraintViolation<?> first = e.getConstraintViolations().iterator().next();
        String path = first.getPropertyPath().toString();
        String field = path.contains(".") ? path.substring(path.indexOf('.', path.indexOf('.') + 1) + 1) : path;
        return render(Problem.VALIDATION, field + ": " + first.getMessage(), field, uri.getPath());
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        return render(Problem.VALIDATION, "malformed JSON: " + e.getOriginalMessage(), null, uri.getPath());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        Problem problem = switch (status) {
            case 401 -> Problem.UNAUTHENTICATED;
            case 404, 405 -> Problem.NOT_FOUND;
            case 413 -> Problem.TOO_LARGE;
            case 415 -> Problem.UNSUPPORTED_MEDIA_TYPE;
            default -> status < 500 ? Problem.VALIDATION : Problem.UPSTREAM_FAILED;
        };
        if (e.getCause() instanceof JsonProcessingException json) {
            return render(Problem.VALIDATION, "malformed JSON: " + json.getOriginalMessage(), null, uri.getPath());
        }
        return render(problem, e.getMessage(), null, uri.getPath());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.error("unexpected failure on " + uri.getPath(), e);
        return render(Problem.INTERNAL, "internal error; see the data-plane log", null, uri.getPath());
    }
}
