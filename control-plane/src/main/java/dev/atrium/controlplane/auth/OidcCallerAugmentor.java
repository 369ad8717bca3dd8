package dev.atrium.controlplane.auth;

import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.atrium.controlplane.common.AtriumConfig;
import dev.atrium.tenancy.Role;

/**
 * Turns a verified Keycloak token into a {@link Caller}. Platform roles come from the realm roles; tenant
 * memberships from the groups claim, where {@code /tenants/<tenant-id>/<role>} means "has role in tenant". A
 * client-credentials token of the data-plane client is the data plane's service identity.
 */
@ApplicationScoped
public class OidcCallerAugmentor implements SecurityIdentityAugmentor {

    public static final String REGION_HEADER = "X-Atrium-Region";
    private static final Pattern TENANT_GROUP = Pattern.compile("/tenants/([0-9a-f-]{36})/([a-z-]+)");
    private static final Pattern REGION = Pattern.compile("[a-z0-9][-a-z0-9]{0,62}");

    @Inject
    AtriumConfig config;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        return augment(identity, context, Map.of());
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context,
                                         Map<String, Object> attributes) {
        if (identity.isAnonymous() || identity.getAttribute(Caller.IDENTITY_ATTRIBUTE) != null
                || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        RoutingContext request = HttpSecurityUtils.getRoutingContextAttribute(attributes);
        Caller caller = callerOf(token, identity.getRoles(), request == null ? null : request.request().getHeader(REGION_HEADER));
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity)
                .addAttribute(Caller.IDENTITY_ATTRIBUTE, caller).build());
    }

    Caller callerOf(JsonWebToken token, Set<String> realmRoles, String regionHeader) {
        int rate = config.rateLimit().platform().requestsPerSecond();
        int burst = config.rateLimit().platform().burst();
        String authorizedParty = token.getClaim("azp");
        if (config.iam().dataPlaneClientId().equals(authorizedParty)) {
            String region = regionHeader != null && REGION.matcher(regionHeader).matches() ? regionHeader : null;
            return new Caller("service:" + authorizedParty, ActorType.SERVICE, null, true, Set.of(), Map.of(), Set.of(),
                    rate, burst, region);
        }
        Set<Role> platformRoles = realmRoles.contains(Role.PLATFORM_ADMIN.value())
                ? EnumSet.of(Role.PLATFORM_ADMIN) : EnumSet.noneOf(Role.class);
        Map<UUID, Set<Role>> memberships = new HashMap<>();
        for (String group : groups(token)) {
            var match = TENANT_GROUP.matcher(group);
            if (match.matches()) {
                Role.fromValue(match.group(2)).filter(role -> role != Role.PLATFORM_ADMIN).ifPresent(role ->
                        memberships.computeIfAbsent(UUID.fromString(match.group(1)), t -> EnumSet.noneOf(Role.class)).add(role));
            }
        }
        return new Caller("user:" + token.getSubject(), ActorType.USER, null, true, platformRoles, Map.copyOf(memberships),
                Set.of(), rate, burst, null);
    }

    private static List<String> groups(JsonWebToken token) {
        Object claim = token.getClaim("groups");
        if (claim instanceof JsonArray array) {
            return array.stream().filter(JsonString.class::isInstance).map(v -> ((JsonString) v).getString()).toList();
        }
        if (claim instanceof Collection<?> collection) {
            return collection.stream().map(Object::toString).map(s -> s.replace("\"", "")).toList();
        }
        return List.of();
    }
}
