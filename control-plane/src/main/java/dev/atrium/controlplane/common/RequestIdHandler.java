package dev.atrium.controlplane.common;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs first on every HTTP request. Gives it an id before anything else runs (authentication included): the caller's
 * {@code X-Request-Id} when it is sane, otherwise a fresh UUID. The id is echoed on the response and recorded in
 * audit events and error bodies, so one id ties a client's report to the server's records.
 */
@ApplicationScoped
public class RequestIdHandler {

    public static final String HEADER = "X-Request-Id";
    private static final String KEY = "atrium.request-id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            if (context.get(KEY) == null) {
                String offered = context.request().getHeader(HEADER);
                String id = offered != null && SANE.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
                context.put(KEY, id);
                context.response().putHeader(HEADER, id);
            }
            // Custom methods (POST /tenants/{id}:suspend) must route the same when a client percent-encodes the colon.
            String path = context.request().path();
            if (path.contains("%3A") || path.contains("%3a")) {
                String query = context.request().query();
                context.reroute(path.replace("%3A", ":").replace("%3a", ":") + (query == null ? "" : "?" + query));
                return;
            }
            context.next();
        });
    }

    public static String requestId(RoutingContext context) {
        String id = context.get(KEY);
        return id != null ? id : "unknown";
    }
}
