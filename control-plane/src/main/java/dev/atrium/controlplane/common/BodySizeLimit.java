package dev.atrium.controlplane.common;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared body ({@code Content-Length}) is larger than {@code quarkus.http.limits.max-body-size}
 * before any of it is read, with a 413 problem+json like every other error instead of Vert.x's empty 413, and closes
 * the connection so the rest of the body is never read. Quarkus' own check of the same limit stays in place for
 * bodies sent without a length (chunked), which it refuses with its plain 413 while reading them.
 */
@ApplicationScoped
public class BodySizeLimit {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length <= maxBodySize.asLongValue()) {
            context.next();
            return;
        }
        Problem problem = new Problem(ProblemType.TOO_LARGE.type(), ProblemType.TOO_LARGE.title(), 413,
                "the request body has " + length + " bytes; this API accepts at most " + maxBodySize.asLongValue(),
                context.normalizedPath(), RequestIdHandler.requestId(context), List.of());
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        context.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .endHandler(ended -> context.request().connection().close())
                .end(body);
    }
}
