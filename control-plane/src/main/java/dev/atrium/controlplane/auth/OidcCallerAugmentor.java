package dev.atrium.controlplane.auth;

import java.util.EnumSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.atrium.controlplane.common.AtriumConfig;
import dev.atrium.controlplane.identity.ActorType;
import dev.atrium.controlplane.identity.Caller;
import dev.atrium.controlplane.identity.Memberships;
import dev.atrium.tenancy.Role;

/**
 * Turns a verified Keycloak token into a {@link Caller}: a person. Platform roles come from the realm roles
 * ({@code realm_access.roles}); tenant memberships from Atrium's own membership table. A token never makes its
 * holder a service: data planes authenticate with service keys, which carry their tenant binding.
 */
@ApplicationScoped
public class OidcCallerAugmentor implements SecurityIdentityAugmentor {

    @Inject
    AtriumConfig config;

    @Inject
    Memberships memberships;

    @Inject
    PlatformAdminSignIn platformAdminSignIn;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || identity.getAttribute(Caller.IDENTITY_ATTRIBUTE) != null
                || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        return context.runBlocking(() -> {
            Caller caller = callerOf(token, identity.getRoles());
            if (caller.isPlatformAdmin()) {
                platformAdminSignIn.seen(caller);
            }
            return QuarkusSecurityIdentity.builder(identity).addAttribute(Caller.IDENTITY_ATTRIBUTE, caller).build();
        });
    }

    /** The person behind a token; blocking (reads the membership table). */
    public Caller callerOf(JsonWebToken token, Set<String> realmRoles) {
        Set<Role> platformRoles = EnumSet.noneOf(Role.class);
        for (Role role : Role.values()) {
            if (role.isPlatformWide() && realmRoles.contains(role.value())) {
                platformRoles.add(role);
            }
        }
        String userId = token.getSubject();
        return new Caller("user:" + userId, ActorType.USER, null, true, platformRoles, memberships.of(userId), Set.of(),
                config.rateLimit().platform().requestsPerSecond(), config.rateLimit().platform().burst(), null);
    }
}
