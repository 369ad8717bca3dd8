package dev.atrium.controlplane.secret;

/** The secret backend failed or refused; the message never contains a secret value. */
public class SecretStoreException extends RuntimeException {
    public SecretStoreException(String message) {
        super(message);
    }

    public SecretStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
