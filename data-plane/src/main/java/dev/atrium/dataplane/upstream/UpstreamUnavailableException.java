package dev.atrium.dataplane.upstream;

/** A backend failed every attempt of a call (the message says how); the caller may try the route's fallback. */
public final class UpstreamUnavailableException extends Exception {

    public UpstreamUnavailableException(String message) {
        super(message, null, false, false);
    }
}
