package dev.atrium.controlplane.auth;

import java.util.Map;

import io.quarkus.security.AuthenticationFailedException;

/**
 * Marks an authentication failure as already on record (counted by {@link FailedAuthentications}), or as refused
 * because the source is over its budget of unauthenticated requests (answered with 429). The marks travel as
 * attributes of Quarkus' {@link AuthenticationFailedException}, whatever wraps it on the way to the error mapper.
 */
public final class CredentialRefusal {

    private static final String RECORDED = "atrium.refusal.recorded";
    private static final String THROTTLED = "atrium.refusal.throttled";

    private CredentialRefusal() {
    }

    /** A refused credential whose refusal has been recorded where it was checked. */
    public static AuthenticationFailedException recorded(String reason) {
        return new AuthenticationFailedException(reason, Map.of(RECORDED, Boolean.TRUE));
    }

    /** The source has spent its budget: refused before any lookup. */
    public static AuthenticationFailedException throttled() {
        return new AuthenticationFailedException("too many failed authentications from this address; retry later",
                Map.of(RECORDED, Boolean.TRUE, THROTTLED, Boolean.TRUE));
    }

    public static boolean isRecorded(Throwable failure) {
        return marked(failure, RECORDED);
    }

    public static boolean isThrottled(Throwable failure) {
        return marked(failure, THROTTLED);
    }

    private static boolean marked(Throwable failure, String attribute) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationFailedException authentication && Boolean.TRUE.equals(authentication.getAttribute(attribute))) {
                return true;
            }
        }
        return false;
    }
}
