package dev.atrium.controlplane.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * The review workflow of a model version: {@code DRAFT -> IN_REVIEW -> APPROVED | REJECTED}, a rejected version can
 * be edited and resubmitted, an approved one can be {@code DEPRECATED}. Only APPROVED versions may be served.
 */
public enum VersionStatus {
    DRAFT, IN_REVIEW, APPROVED, REJECTED, DEPRECATED;

    public Set<VersionStatus> next() {
        return switch (this) {
            case DRAFT, REJECTED -> EnumSet.of(IN_REVIEW);
            case IN_REVIEW -> EnumSet.of(APPROVED, REJECTED);
            case APPROVED -> EnumSet.of(DEPRECATED);
            case DEPRECATED -> EnumSet.noneOf(VersionStatus.class);
        };
    }

    /** Cards and artifacts can change only while nobody has approved them. */
    public boolean editable() {
        return this == DRAFT || this == REJECTED;
    }
}
