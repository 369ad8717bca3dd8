package dev.atrium.controlplane.provisioning;

import java.util.List;

/**
 * An apply or deprovision that could not finish. {@code reason} is a short CamelCase word for the Degraded
 * condition; {@code partial} lists what was changed before the failure (it did change the cluster, so it is reported).
 */
public class ProvisioningException extends RuntimeException {

    private final String reason;
    private final transient List<ObjectChange> partial;

    public ProvisioningException(String reason, String message, List<ObjectChange> partial, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.partial = List.copyOf(partial);
    }

    public String reason() {
        return reason;
    }

    public List<ObjectChange> partial() {
        return partial;
    }
}
