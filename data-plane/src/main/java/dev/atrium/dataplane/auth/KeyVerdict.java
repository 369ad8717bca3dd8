package dev.atrium.dataplane.auth;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.atrium.contract.KeyIntrospection;
import dev.atrium.contract.PlacedRegion;
import dev.atrium.tenancy.Scope;

/**
 * The control plane's answer about one key: a principal and the regions that serve its tenant when the key is
 * valid, otherwise why not.
 */
public record KeyVerdict(TenantPrincipal principal, String reason, List<PlacedRegion> regions) {

    /** The introspection answer as a verdict; a tenant status the answer leaves out counts as not ACTIVE. */
    static KeyVerdict of(KeyIntrospection answer, String defaultReason) {
        if (!answer.active() || answer.tenantId() == null) {
            return refused(answer.reason() == null ? defaultReason : answer.reason());
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        (answer.scopes() == null ? List.<String>of() : answer.scopes())
                .forEach(scope -> Scope.fromValue(scope).ifPresent(scopes::add));
        String actorId = answer.actorId() != null ? answer.actorId() : answer.keyId() == null ? null : "apikey:" + answer.keyId();
        return new KeyVerdict(new TenantPrincipal(answer.tenantId(), answer.keyId(), actorId,
                answer.tenantStatus() == null ? "UNKNOWN" : answer.tenantStatus(), scopes,
                answer.requestsPerSecond() == null ? 0 : answer.requestsPerSecond(), answer.burst() == null ? 0 : answer.burst()),
                null, answer.regions() == null ? List.of() : List.copyOf(answer.regions()));
    }

    public static KeyVerdict refused(String reason) {
        return new KeyVerdict(null, reason, List.of());
    }

    /** Whether {@code region} is one of the regions that serve the key's tenant. */
    public boolean servedIn(String region) {
        return regions.stream().anyMatch(placed -> placed.name().equals(region));
    }

    public boolean isValid() {
        return principal != null;
    }
}
