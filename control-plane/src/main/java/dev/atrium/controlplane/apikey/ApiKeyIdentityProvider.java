package dev.atrium.controlplane.apikey;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

import dev.atrium.controlplane.auth.ApiKeyAuthenticationRequest;
import dev.atrium.controlplane.common.RequestMetadata;

/** Verifies API keys on a worker thread (the lookup is a blocking database query). */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    @Inject
    ApiKeyAuthenticator authenticator;

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        RoutingContext routingContext = HttpSecurityUtils.getRoutingContextAttribute(request);
        RequestMetadata metadata = routingContext == null ? null : RequestMetadata.of(routingContext);
        return context.runBlocking(() -> authenticator.authenticate(request.presentedKey(), metadata));
    }
}
