package dev.atrium.controlplane.common;

/**
 * A response body that carries a secret meant for exactly one response (an API key at creation). The idempotency
 * record stores {@link #withoutSecret()} instead, so the secret is never written to a table, and a replayed request
 * gets the metadata with a note that the secret was shown once.
 */
public interface ShownOnce {

    /** The same body without the secret, marked as having been shown already. */
    Object withoutSecret();
}
