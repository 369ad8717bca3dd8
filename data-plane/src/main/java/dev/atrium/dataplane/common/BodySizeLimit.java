package dev.atrium.dataplane.common;

import java.util.Map;

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
 * before any of it is read, with the same 413 error as the rest of the API (problem+json, OpenAI's error JSON on the
 * OpenAI paths) instead of Vert.x's empty 413, and closes the connection, so the rest of the body is never read. It
 * runs just before Quarkus' own check of the same limit, which stays in place for bodies sent without a length
 * (chunked): Quarkus writes its empty 413 itself while reading such a body, before any handler of ours could.
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
        String path = context.normalizedPath();
        String detail = "the request body has " + length + " bytes; this API accepts at most " + maxBodySize.asLongValue()
                + " (documents: see atrium.rag.max-document-bytes)";
        jakarta.ws.rs.core.Response rendered = ErrorMapper.render(Problem.TOO_LARGE, detail, null, path);
        String body;
        try {
            body = json.writeValueAsString((Map<?, ?>) rendered.getEntity());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        context.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, rendered.getMediaType().toString())
                .putHeader(HttpHeaders.CONNECTION, "close")
                .endHandler(ended -> context.request().connection().close())
                .end(body);
    }
}
