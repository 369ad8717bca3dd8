package dev.atrium.controlplane.identity;

import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;

/** The current request's {@link Caller}, resolved from the security identity. */
@RequestScoped
public class CallerContext {

    @Inject
    SecurityIdentity identity;

    public Optional<Caller> current() {
        if (identity == null || identity.isAnonymous()) {
            return Optional.empty();
        }
        return Optional.ofNullable(identity.getAttribute(Caller.IDENTITY_ATTRIBUTE));
    }

    public Caller require() {
        return current().orElseThrow(UnauthorizedException::new);
    }
}
