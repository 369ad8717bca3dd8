package dev.atrium.controlplane.apikey;

/** Whether a key still authenticates. */
public enum ApiKeyStatus {
    ACTIVE, EXPIRED, REVOKED
}
