package dev.atrium.controlplane.common;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.vertx.ext.web.RoutingContext;

/** The current HTTP request, for code that runs inside the REST layer (error mapping, auditing). */
@RequestScoped
public class RequestContext {

    @Inject
    RoutingContext routingContext;

    public RequestMetadata metadata() {
        return RequestMetadata.of(routingContext);
    }

    public String requestId() {
        return RequestIdHandler.requestId(routingContext);
    }

    public String method() {
        return routingContext.request().method().name();
    }

    public String path() {
        return routingContext.request().path();
    }
}
