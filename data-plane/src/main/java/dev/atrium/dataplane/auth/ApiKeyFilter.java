package dev.atrium.dataplane.auth;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import io.vertx.core.http.HttpServerRequest;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.ErrorMapper;
import dev.atrium.dataplane.common.Problem;
import dev.atrium.tenancy.ApiKeyFormat;

/**
 * Authenticates every tenant-facing request ({@code /v1/...}) by its {@code Authorization: Bearer atr_...} key (or a
 * person's Keycloak access token with {@code X-Atrium-Tenant}, as the web console sends) and
 * refuses tenants that are not ACTIVE and keys over their rate limit, before any resource runs. Health and metrics ({@code /q/...}) stay open.
 */
public class ApiKeyFilter {

    /** With a person's access token instead of an API key: which of their tenants the request is for. */
    public static final String TENANT_HEADER = "X-Atrium-Tenant";

    @Inject
    ApiKeyVerifier verifier;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    KeyRateLimiter rateLimiter;

    @Inject
    UnverifiedSources unverified;

    @ServerRequestFilter
    public Response authenticate(ContainerRequestContext request, HttpServerRequest connection) {
        String path = "/" + request.getUriInfo().getPath().replaceFirst("^/", "");
        if (!path.startsWith("/v1/")) {
            return null;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return withChallenge(ErrorMapper.render(Problem.UNAUTHENTICATED,
                    "send the API key as 'Authorization: Bearer atr_...'", null, path));
        }
        String source = connection.remoteAddress() == null ? "unknown" : connection.remoteAddress().hostAddress();
        String bearer = header.substring(7).trim();
        if (unverified.overBudget(source) && !verifier.knownValid(bearer, request.getHeaderString(TENANT_HEADER))) {
            return Response.fromResponse(ErrorMapper.render(Problem.RATE_LIMITED, "too many requests without valid credentials "
                    + "from this address; retry after " + unverified.retryAfterSeconds() + " s", null, path))
                    .header("Retry-After", unverified.retryAfterSeconds()).build();
        }
        try {
            TenantPrincipal principal = bearer.startsWith(ApiKeyFormat.PREFIX)
                    ? verifier.verify(bearer) : verifier.verifyPerson(bearer, request.getHeaderString(TENANT_HEADER));
            long wait = rateLimiter.secondsToWait(principal);
            if (wait > 0) {
                return Response.fromResponse(ErrorMapper.render(Problem.RATE_LIMITED, "rate limit of " + principal.requestsPerSecond()
                        + " requests/s (burst " + principal.burst() + ") exceeded for this API key; retry after " + wait + " s", null, path))
                        .header("Retry-After", wait).build();
            }
            currentTenant.set(principal);
            return null;
        } catch (ApiException e) {
            Response response = ErrorMapper.render(e, path);
            if (e.problem() == Problem.UNAUTHENTICATED) {
                unverified.failed(source);
                return withChallenge(response);
            }
            return response;
        }
    }

    private static Response withChallenge(Response response) {
        return Response.fromResponse(response).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"atrium\"").build();
    }
}
