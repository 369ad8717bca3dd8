package dev.atrium.controlplane.provisioning;

/**
 * A spec or target that would produce an invalid (or dangerous) Kubernetes object. Thrown before any call to the API
 * server, so a refused spec changes nothing in the cluster.
 */
public class InvalidSpecException extends IllegalArgumentException {

    public InvalidSpecException(String message) {
        super(message);
    }
}
