package dev.atrium.controlplane.member;

import java.util.Optional;

import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.ProblemType;

/**
 * Used when Keycloak is switched off ({@code ATRIUM_KEYCLOAK_ENABLED=false}, API keys only): nobody can sign in, so
 * member management answers 503 instead of pretending.
 */
public class UnavailableIdentityDirectory implements IdentityDirectory {

    @Override
    public Optional<Person> person(String userId) {
        throw unavailable();
    }

    static ApiException unavailable() {
        return new ApiException(ProblemType.UNAVAILABLE,
                "no identity provider is configured (Keycloak disabled): members cannot be managed");
    }
}
