package dev.atrium.controlplane.member;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.atrium.contract.KeyIntrospection;
import dev.atrium.controlplane.auth.FailedAuthentications;
import dev.atrium.controlplane.auth.OidcCallerAugmentor;
import dev.atrium.controlplane.common.RequestContext;
import dev.atrium.controlplane.identity.ActorType;
import dev.atrium.controlplane.identity.Caller;
import dev.atrium.controlplane.identity.CallerContext;
import dev.atrium.controlplane.region.PlacementService;
import dev.atrium.controlplane.tenant.Plan;
import dev.atrium.controlplane.tenant.Tenant;
import dev.atrium.controlplane.tenant.TenantStatus;
import dev.atrium.tenancy.Role;
import dev.atrium.tenancy.Scope;

/**
 * How a data plane accepts a person (the web console acting for its signed-in user) instead of an API key: the
 * person's Keycloak access token (exchanged by the console for the data plane's audience) is validated (signature,
 * expiry, audience {@code atrium-data-plane}), and the answer has the shape of API-key introspection, with the scopes
 * the person's role in the tenant grants. Refusals are audited like failed sign-ins: aggregated per tenant, asking
 * data plane and minute, so a flood of junk tokens costs the tenant's chain one event and a count.
 */
@ApplicationScoped
public class TokenIntrospection {

    static final String ACTION = "auth.token.introspect";

    /** Validates against the data plane's audience: tokens for the public API (audience atrium-api) are refused. */
    @Inject
    @io.quarkus.oidc.Tenant("data-plane")
    TenantIdentityProvider identityProvider;

    @Inject
    OidcCallerAugmentor callers;

    @Inject
    CallerContext callerContext;

    @Inject
    PlacementService placements;

    @Inject
    FailedAuthentications failures;

    @Inject
    RequestContext request;

    @Transactional
    public KeyIntrospection introspect(UUID tenantId, String accessToken) {
        SecurityIdentity identity;
        try {
            identity = identityProvider.authenticate(new AccessTokenCredential(accessToken)).await().atMost(Duration.ofSeconds(10));
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

    /** In the tenant's chain, as the person when the token named one, else as the asking data plane. */
    private KeyIntrospection refused(UUID tenantId, String personId, String reason) {
        UUID chain = Tenant.findById(tenantId) != null ? tenantId : null;
        if (personId == null) {
            Caller service = callerContext.require();
            failures.refused(ACTION, service.actorId(), service.actorType(), chain, reason, request.metadata());
        } else {
            failures.refused(ACTION, personId, ActorType.USER, chain, reason, request.metadata());
        }
        return KeyIntrospection.inactive(reason);
    }
}
