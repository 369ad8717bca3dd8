package dev.atrium.controlplane.common;

import io.vertx.ext.web.RoutingContext;

/** Request facts the audit trail records: request id, source address and user agent. */
public record RequestMetadata(String requestId, String sourceIp, String userAgent) {

    public static RequestMetadata of(RoutingContext context) {
        String agent = context.request().getHeader("User-Agent");
        return new RequestMetadata(RequestIdHandler.requestId(context),
                context.request().remoteAddress() == null ? null : context.request().remoteAddress().hostAddress(),
                agent == null || agent.length() <= 512 ? agent : agent.substring(0, 512));
    }
}
