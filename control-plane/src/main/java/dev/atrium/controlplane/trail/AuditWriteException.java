package dev.atrium.controlplane.trail;

/** The audit event could not be written; the surrounding mutation is rolled back. */
public class AuditWriteException extends RuntimeException {
    public AuditWriteException(Throwable cause) {
        super("audit event could not be written", cause);
    }
}
