package dev.atrium.controlplane.provisioning;

import java.util.List;

/**
 * What one reconcile did to one object. {@code fields} names the paths that differed from the desired state (for a
 * drift repair) but never their values, so a report cannot carry a credential.
 */
public record ObjectChange(String kind, String name, Action action, List<String> fields) {

    public ObjectChange {
        fields = List.copyOf(fields);
    }

    /** What happened to the object. */
    public enum Action {
        /** It was missing and was applied. */
        CREATED,
        /** It differed from the desired state and was applied again. */
        CHANGED,
        /** It already matched; nothing was sent. */
        UNCHANGED,
        /** The Deployment's replica count was outside the autoscaler's bounds and was brought back. */
        SCALED,
        /** It was deleted (deprovisioning). */
        DELETED
    }

    public boolean changed() {
        return action != Action.UNCHANGED;
    }

    @Override
    public String toString() {
        return kind + "/" + name + " " + action + (fields.isEmpty() ? "" : " " + fields);
    }
}
