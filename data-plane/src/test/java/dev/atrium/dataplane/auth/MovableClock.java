package dev.atrium.dataplane.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand, so that cache ages are exact. */
final class MovableClock extends Clock {

    private Instant now = Instant.parse("2026-11-26T10:00:00Z");

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    void advance(Duration duration) {
        now = now.plus(duration);
    }
}
