package dev.atrium.tenancy;

/** A presented API key is malformed; the message says why and never contains the key. */
public class InvalidApiKeyException extends IllegalArgumentException {
    public InvalidApiKeyException(String message) {
        super(message);
    }
}
