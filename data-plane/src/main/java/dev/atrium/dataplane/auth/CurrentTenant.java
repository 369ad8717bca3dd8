package dev.atrium.dataplane.auth;

import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;

import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.Problem;
import dev.atrium.tenancy.Scope;

/** The tenant of the current request, set once by {@link ApiKeyFilter}; every resource asks it for a scope. */
@RequestScoped
public class CurrentTenant {

    private TenantPrincipal principal;

    void set(TenantPrincipal principal) {
        this.principal = principal;
    }

    public TenantPrincipal principal() {
        if (principal == null) {
            throw new ApiException(Problem.UNAUTHENTICATED, "an API key is required");
        }
        return principal;
    }

    /** The tenant id, after checking that the key carries at least one of the scopes. */
    public UUID requireAny(Scope first, Scope second) {
        TenantPrincipal caller = principal();
        return caller.has(first) ? caller.tenantId() : require(second);
    }

    /** The tenant id, after checking that the key carries {@code scope}. */
    public UUID require(Scope scope) {
        TenantPrincipal caller = principal();
        if (!caller.has(scope)) {
            throw new ApiException(Problem.MISSING_SCOPE, "this operation needs an API key with scope '" + scope.value()
                    + "'; the key has " + caller.scopes());
        }
        return caller.tenantId();
    }
}
