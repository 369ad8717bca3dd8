package dev.atrium.controlplane.auth;

import java.util.Map;

import io.quarkus.security.AuthenticationFailedException;

/**
 * Marks an authentication failure as already on record (counted by {@link FailedAuthentications}). The mark travels
 * as an attribute of Quarkus' {@link AuthenticationFailedException}, whatever wraps it on the way to the error mapper.
 */
public final class CredentialRefusal {

    private static final String RECORDED = "atrium.refusal.recorded";

    private CredentialRefusal() {
    }

    /** A refused credential whose refusal has been recorded where it was checked. */
    public static AuthenticationFailedException recorded(String reason) {
        return new AuthenticationFailedException(reason, Map.of(RECORDED, Boolean.TRUE));
    }

    public static boolean isRecorded(Throwable failure) {
        return marked(failure, RECORDED);
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
