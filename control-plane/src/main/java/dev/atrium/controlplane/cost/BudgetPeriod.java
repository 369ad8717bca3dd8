package dev.atrium.controlplane.cost;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * The period a budget counts in, in its IANA time zone: {@code daily} from local midnight, {@code weekly} from Monday
 * 00:00, {@code monthly} from the 1st at 00:00, {@code custom} every {@code days} days from a local start date. Local
 * midnights are turned into instants with the zone's rules, so a day across a DST change lasts 23 or 25 hours and a
 * midnight the zone skips starts at the first instant of that day. Before a custom budget's start date its first period
 * is returned: it lies ahead.
 *
 * @param start the first instant of the period
 * @param end   the first instant of the next one: when the budget resets
 */
public record BudgetPeriod(Instant start, Instant end) {

    public static final String DAILY = "daily";
    public static final String WEEKLY = "weekly";
    public static final String MONTHLY = "monthly";
    public static final String CUSTOM = "custom";

    /** The period containing {@code at}. {@code customStart} and {@code customDays} only for {@code custom}. */
    public static BudgetPeriod containing(String kind, ZoneId zone, LocalDate customStart, Integer customDays, Instant at) {
        LocalDate today = at.atZone(zone).toLocalDate();
        LocalDate first;
        LocalDate next;
        switch (kind) {
            case DAILY -> {
                first = today;
                next = today.plusDays(1);
            }
            case WEEKLY -> {
                first = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                next = first.plusWeeks(1);
            }
            case MONTHLY -> {
                first = today.withDayOfMonth(1);
                next = first.plusMonths(1);
            }
            case CUSTOM -> {
                // before its start date the budget's first period lies ahead (it has not started)
                long elapsed = Math.max(0, ChronoUnit.DAYS.between(customStart, today));
                long periods = elapsed / customDays;
                first = customStart.plusDays(periods * customDays);
                next = first.plusDays(customDays);
            }
            default -> throw new IllegalArgumentException("unknown budget period " + kind);
        }
        return new BudgetPeriod(first.atStartOfDay(zone).toInstant(), next.atStartOfDay(zone).toInstant());
    }

    public Duration length() {
        return Duration.between(start, end);
    }

    /** The share of the period elapsed at {@code at}, between 0 and 1. */
    public double elapsed(Instant at) {
        if (!at.isAfter(start)) {
            return 0;
        }
        if (!at.isBefore(end)) {
            return 1;
        }
        return (double) Duration.between(start, at).toMillis() / length().toMillis();
    }

    /** The local date-time the period starts at, for display. */
    public ZonedDateTime startIn(ZoneId zone) {
        return start.atZone(zone);
    }
}
