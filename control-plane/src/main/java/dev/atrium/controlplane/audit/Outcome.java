package dev.atrium.controlplane.audit;

/** How an audited action ended. */
public enum Outcome {
    SUCCESS, FAILURE, DENIED
}
