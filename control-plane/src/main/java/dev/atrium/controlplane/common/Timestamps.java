package dev.atrium.controlplane.common;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Native queries hand {@code timestamptz} back as Instant, OffsetDateTime or Timestamp depending on the driver path. */
public final class Timestamps {

    private Timestamps() {
    }

    public static Instant toInstant(Object value) {
        return value == null ? null : switch (value) {
            case Instant i -> i;
            case OffsetDateTime o -> o.toInstant();
            case Timestamp t -> t.toInstant();
            default -> throw new IllegalStateException("not a timestamp: " + value);
        };
    }
}
