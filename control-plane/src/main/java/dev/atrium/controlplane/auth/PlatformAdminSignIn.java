package dev.atrium.controlplane.auth;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.atrium.controlplane.identity.Caller;

/**
 * Announces, once per process, that a person has signed in as platform admin: from then on the bootstrap key is no
 * longer the only way in, and the API-key feature gives it an expiry (it observes {@link PlatformAdminSignedIn}).
 */
@ApplicationScoped
public class PlatformAdminSignIn {

    private static final Logger LOG = Logger.getLogger(PlatformAdminSignIn.class);

    /** A person holding platform-admin authenticated. */
    public record PlatformAdminSignedIn(String actorId) {
    }

    private final AtomicBoolean announced = new AtomicBoolean();

    @Inject
    Event<PlatformAdminSignedIn> signedIn;

    void seen(Caller caller) {
        if (caller.isPerson() && announced.compareAndSet(false, true)) {
            try {
                signedIn.fire(new PlatformAdminSignedIn(caller.actorId()));
            } catch (RuntimeException e) {
                announced.set(false);
                LOG.errorf(e, "could not act on the first platform-admin sign-in; the next one retries");
            }
        }
    }
}
