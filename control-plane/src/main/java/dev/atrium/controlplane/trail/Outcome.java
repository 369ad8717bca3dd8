package dev.atrium.controlplane.trail;

/** How an audited action ended. */
public enum Outcome {
    SUCCESS, FAILURE, DENIED
}
