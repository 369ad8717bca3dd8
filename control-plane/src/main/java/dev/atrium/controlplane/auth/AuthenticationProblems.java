package dev.atrium.controlplane.auth;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.atrium.controlplane.common.ProblemMapper;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.common.RequestContext;
import dev.atrium.controlplane.common.RequestMetadata;
import dev.atrium.controlplane.identity.ActorType;

/** Refused and missing credentials as problem+json: 401, or 429 once the source has spent its budget. */
public class AuthenticationProblems {

    @Inject
    RequestContext requestContext;

    @Inject
    FailedAuthentications failures;

    /**
     * A refused credential. API keys are recorded where they are checked; other bearer tokens (expired, wrong
     * audience, forged) are recorded here. Either way the source spends its budget of unauthenticated requests.
     */
    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        String detail = e.getMessage() == null || e.getMessage().isBlank() ? "invalid credentials" : e.getMessage();
        RequestMetadata request = requestContext.metadata();
        if (failures.overBudget(request)) {
            return throttled();
        }
        if (!CredentialRefusal.isRecorded(e)) {
            failures.failed("anonymous", ActorType.ANONYMOUS, null, "bearer token refused: " + detail, request);
        }
        return ProblemMapper.problem(requestContext, ProblemType.UNAUTHENTICATED, detail, List.of())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"atrium\", error=\"invalid_token\"")
                .build();
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        RequestMetadata request = requestContext.metadata();
        if (failures.overBudget(request)) {
            return throttled();
        }
        failures.missingCredentials(request);
        return ProblemMapper.problem(requestContext, ProblemType.UNAUTHENTICATED,
                        "send an API key or token as 'Authorization: Bearer <credential>'", List.of())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"atrium\"")
                .build();
    }

    private Response throttled() {
        return ProblemMapper.problem(requestContext, ProblemType.RATE_LIMITED,
                        "too many requests without valid credentials from this address; retry after " + failures.retryAfterSeconds() + " s",
                        List.of())
                .header("Retry-After", failures.retryAfterSeconds()).build();
    }
}
