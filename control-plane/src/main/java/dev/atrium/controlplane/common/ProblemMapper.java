package dev.atrium.controlplane.common;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.ForbiddenException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.ClientWebApplicationException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;


/**
 * The single place where exceptions become HTTP responses: every error is an RFC 7807 problem+json body, and
 * no stack trace or internal message ever reaches the client (unexpected errors are logged with the request id).
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @Inject
    RequestContext requestContext;


    @ServerExceptionMapper
    public Response apiException(ApiException e) {
        Response.ResponseBuilder builder = problem(e.problemType(), e.getMessage(), e.fieldErrors());
        if (e instanceof RateLimitedException limited) {
            builder.header("Retry-After", limited.retryAfterSeconds());
        }
        if (e.problemType() == ProblemType.UNAUTHENTICATED) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"atrium\"");
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(fieldName(v), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return problem(ProblemType.VALIDATION, detail, errors).build();
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response unparseableJson(JsonParseException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String field = unknown.getPropertyName();
            return problem(ProblemType.VALIDATION, field + ": unknown field",
                    List.of(new FieldError(field, "unknown field"))).build();
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = path(mapping);
            return problem(ProblemType.VALIDATION, field + ": wrong type or format",
                    List.of(new FieldError(field, "wrong type or format"))).build();
        }
        return problem(ProblemType.VALIDATION, "request body is not valid JSON", List.of()).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return problem(ProblemType.FORBIDDEN, "the caller may not perform this operation", List.of()).build();
    }

    /** An HTTP call this service made failed (e.g. to Keycloak): never echo the upstream status as ours. */
    @ServerExceptionMapper
    public Response upstreamFailure(ClientWebApplicationException e) {
        LOG.errorf(e, "upstream call failed with HTTP %d [requestId=%s]", e.getResponse().getStatus(), requestContext.requestId());
        return problem(ProblemType.BAD_GATEWAY, "an upstream service answered HTTP " + e.getResponse().getStatus()
                + "; quote request id " + requestContext.requestId() + " when reporting it", List.of()).build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadableJson(unreadable);
        }
        ProblemType type = switch (e) {
            case NotFoundException ignored -> ProblemType.NOT_FOUND;
            case NotAllowedException ignored -> ProblemType.METHOD_NOT_ALLOWED;
            case NotSupportedException ignored -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            case NotAcceptableException ignored -> ProblemType.NOT_ACCEPTABLE;
            default -> null;
        };
        if (type == null) {
            int status = e.getResponse().getStatus();
            if (status >= 500) {
                return unexpected(e);
            }
            type = status == 401 ? ProblemType.UNAUTHENTICATED : status == 403 ? ProblemType.FORBIDDEN : ProblemType.VALIDATION;
        }
        String detail = switch (type) {
            case NOT_FOUND -> "no resource at " + requestContext.path();
            case METHOD_NOT_ALLOWED -> requestContext.method() + " is not allowed on " + requestContext.path();
            case UNSUPPORTED_MEDIA_TYPE -> "send the request body as application/json";
            case NOT_ACCEPTABLE -> "this resource produces application/json";
            default -> "the request could not be processed";
        };
        Response.ResponseBuilder builder = problem(type, detail, List.of());
        if (e instanceof NotAllowedException) {
            builder.header(HttpHeaders.ALLOW, e.getResponse().getHeaderString(HttpHeaders.ALLOW));
        }
        return builder.build();
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e) {
        LOG.errorf(e, "request %s %s failed [requestId=%s]", requestContext.method(), requestContext.path(),
                requestContext.requestId());
        return problem(ProblemType.INTERNAL, "an unexpected error occurred; quote request id "
                + requestContext.requestId() + " when reporting it", List.of()).build();
    }

    private Response.ResponseBuilder problem(ProblemType type, String detail, List<FieldError> errors) {
        return problem(requestContext, type, detail, errors);
    }

    /** A problem+json response for the current request (other mappers build theirs with it too). */
    public static Response.ResponseBuilder problem(RequestContext request, ProblemType type, String detail, List<FieldError> errors) {
        Problem body = new Problem(type.type(), type.title(), type.status(), detail, request.path(), request.requestId(), errors);
        return Response.status(type.status()).type(Problem.MEDIA_TYPE).entity(body);
    }

    private static String fieldName(ConstraintViolation<?> violation) {
        // property paths look like "create.request.displayName": keep what follows the method and parameter
        String path = violation.getPropertyPath().toString();
        List<String> parts = new ArrayList<>(List.of(path.split("\\.")));
        // a constraint on the parameter itself (e.g. @NotNull on the body) has a two-part path
        return parts.size() > 2 ? String.join(".", parts.subList(2, parts.size())) : "body";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
