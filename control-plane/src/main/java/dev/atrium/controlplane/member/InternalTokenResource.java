package dev.atrium.controlplane.member;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.interceptor.InvocationContext;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.Authenticated;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.contract.InternalApi;
import dev.atrium.contract.KeyIntrospection;
import dev.atrium.contract.TokenIntrospectionRequest;
import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.auth.AuthorizedTenant;
import dev.atrium.controlplane.auth.OidcCallerAugmentor;
import dev.atrium.controlplane.auth.TenantOfRequest;
import dev.atrium.controlplane.identity.ActorType;
import dev.atrium.controlplane.identity.Caller;
import dev.atrium.controlplane.identity.CallerContext;
import dev.atrium.controlplane.region.PlacementService;
import dev.atrium.controlplane.tenant.Plan;
import dev.atrium.controlplane.tenant.Tenant;
import dev.atrium.controlplane.tenant.TenantStatus;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;
import dev.atrium.tenancy.Role;
import dev.atrium.tenancy.Scope;

/**
 * How a data plane accepts a person (the web console acting for its signed-in user) instead of an API key: it sends
 * the person's Keycloak access token (exchanged by the console for the data plane's audience) and the tenant it is
 * for; the control plane validates the token (signature, expiry, audience {@code atrium-data-plane}) and answers in
 * the shape of API-key introspection, with the scopes the person's role in that tenant grants. Refusals are audited.
 */
@Path(InternalApi.TOKEN_INTROSPECTION)
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Internal")
public class InternalTokenResource {

    /** Validates against the data plane's audience: tokens for the public API (audience atrium-api) are refused. */
    @Inject
    PlacementService placements;

    @Inject
    @io.quarkus.oidc.Tenant("data-plane")
    TenantIdentityProvider identityProvider;

    @Inject
    OidcCallerAugmentor callers;

    @Inject
    CallerContext callerContext;

    @Inject
    AuditTrail auditTrail;

    @Inject
    AuthorizedTenant authorized;

    @POST
    @Transactional
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(value = AccessLevel.DATA_PLANE_SERVICE, tenant = TenantOfTokenRequest.class)
    @Operation(summary = "Introspect a person's access token for one tenant (data-plane service identity only)",
            description = "Always 200 for a well-formed request: `active` says whether the person may act in the tenant, "
                    + "with the scopes of their role there (tenant-admin: everything; tenant-member: query and invoke; "
                    + "compliance-officer: query and audit:read).")
    public Response introspect(@Valid @NotNull(message = "body is required") TokenIntrospectionRequest request) {
        return Response.ok(verdict(request)).header("Cache-Control", "no-store").build();
    }

    private KeyIntrospection verdict(TokenIntrospectionRequest request) {
        // the interceptor parsed the tenant and checked the service's binding (404 outside it)
        UUID tenantId = authorized.id();
        SecurityIdentity identity;
        try {
            identity = identityProvider.authenticate(new AccessTokenCredential(request.token())).await().atMost(Duration.ofSeconds(10));
        } catch (AuthenticationFailedException e) {
            return refused(tenantId, null, "access token not valid (expired, wrong audience or not signed by the realm)");
        }
        if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
            return refused(tenantId, null, "not a bearer access token");
        }
        Caller person = callers.callerOf(token, identity.getRoles());
        Set<Role> roles = person.memberships().get(tenantId);
        Tenant tenant = Tenant.findById(tenantId);
        if (roles == null || roles.isEmpty() || tenant == null) {
            return refused(tenantId, person.actorId(), "not a member of tenant " + tenantId);
        }
        if (tenant.status != TenantStatus.ACTIVE && tenant.status != TenantStatus.SUSPENDED) {
            return refused(tenantId, person.actorId(), "tenant " + tenantId + " is " + tenant.status);
        }
        Plan.Quotas quotas = tenant.planEnum().quotas();
        return new KeyIntrospection(true, null, null, tenantId, tenant.status.name(),
                Scope.grantedBy(roles).stream().map(Scope::value).sorted().toList(),
                quotas.requestsPerSecond(), quotas.burst(), person.actorId(), placements.servingRegions(tenantId));
    }

    /** Audited in the tenant's chain, as the person when the token named one, else as the asking data plane. */
    private KeyIntrospection refused(UUID tenantId, String personId, String reason) {
        AuditEntry entry = AuditEntry.denied("auth.token.introspect", reason).resource("tenant", tenantId);
        if (Tenant.findById(tenantId) != null) {
            entry.tenant(tenantId);
        }
        auditTrail.record(personId == null ? entry.actor(callerContext.require()) : entry.actor(personId, ActorType.USER));
        return KeyIntrospection.inactive(reason);
    }

    /** The tenant a token introspection is for is named in its body. */
    @ApplicationScoped
    public static class TenantOfTokenRequest implements TenantOfRequest {

        @Override
        public Optional<String> rawTenantId(InvocationContext invocation) {
            return Arrays.stream(invocation.getParameters()).filter(TokenIntrospectionRequest.class::isInstance)
                    .map(argument -> ((TokenIntrospectionRequest) argument).tenantId()).filter(raw -> raw != null && !raw.isBlank())
                    .findFirst();
        }
    }
}
