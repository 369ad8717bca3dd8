package dev.atrium.controlplane.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

/** Budget periods in their time zones, across DST changes; expected instants worked out by hand from the zones' rules. */
class BudgetPeriodTest {

    private static BudgetPeriod period(String kind, String zone, String at) {
        return BudgetPeriod.containing(kind, ZoneId.of(zone), null, null, Instant.parse(at));
    }

    @Test
    void aDayWhenBerlinLeavesSummerTimeLasts25Hours() {
        BudgetPeriod day = period(BudgetPeriod.DAILY, "Europe/Berlin", "2026-10-25T12:00:00Z");

        assertThat(day.start()).isEqualTo(Instant.parse("2026-10-24T22:00:00Z")); // 00:00 CEST (+02:00)
        assertThat(day.end()).isEqualTo(Instant.parse("2026-10-25T23:00:00Z"));   // 00:00 CET (+01:00)
        assertThat(day.length()).isEqualTo(Duration.ofHours(25));
    }

    @Test
    void aDayWhenNewYorkEntersSummerTimeLasts23Hours() {
        BudgetPeriod day = period(BudgetPeriod.DAILY, "America/New_York", "2026-03-08T15:00:00Z");

        assertThat(day.start()).isEqualTo(Instant.parse("2026-03-08T05:00:00Z")); // 00:00 EST (-05:00)
        assertThat(day.end()).isEqualTo(Instant.parse("2026-03-09T04:00:00Z"));   // 00:00 EDT (-04:00)
        assertThat(day.length()).isEqualTo(Duration.ofHours(23));
        // an instant just before local midnight still belongs to the day before
        assertThat(period(BudgetPeriod.DAILY, "America/New_York", "2026-03-08T04:59:59Z").end()).isEqualTo(day.start());
    }

    @Test
    void aMonthInKolkataStartsOnTheFirstAtLocalMidnightWhichIsTheEveningBeforeInUtc() {
        BudgetPeriod month = period(BudgetPeriod.MONTHLY, "Asia/Kolkata", "2026-11-30T20:00:00Z"); // 01:30 on 1 December there

        assertThat(month.start()).isEqualTo(Instant.parse("2026-11-30T18:30:00Z"));
        assertThat(month.end()).isEqualTo(Instant.parse("2026-12-31T18:30:00Z"));
        // the same instant is still November in UTC
        assertThat(period(BudgetPeriod.MONTHLY, "UTC", "2026-11-30T20:00:00Z").start()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    }

    @Test
    void aWeekStartsOnMondayAtLocalMidnight() {
        // Sunday 20:00 in UTC is Monday 07:00 in Sydney (AEDT, +11:00): a new week there
        BudgetPeriod sydney = period(BudgetPeriod.WEEKLY, "Australia/Sydney", "2026-11-29T20:00:00Z");
        assertThat(sydney.start()).isEqualTo(Instant.parse("2026-11-29T13:00:00Z"));
        assertThat(sydney.end()).isEqualTo(Instant.parse("2026-12-06T13:00:00Z"));

        BudgetPeriod utc = period(BudgetPeriod.WEEKLY, "UTC", "2026-11-29T20:00:00Z");
        assertThat(utc.start()).isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
        assertThat(utc.end()).isEqualTo(Instant.parse("2026-11-30T00:00:00Z"));
    }

    @Test
    void aCustomPeriodRepeatsFromItsStartDateAndBeforeItTheFirstOneLiesAhead() {
        LocalDate start = LocalDate.parse("2026-11-02");
        ZoneId utc = ZoneId.of("UTC");

        BudgetPeriod third = BudgetPeriod.containing(BudgetPeriod.CUSTOM, utc, start, 14, Instant.parse("2026-11-20T08:00:00Z"));
        assertThat(third.start()).isEqualTo(Instant.parse("2026-11-16T00:00:00Z"));
        assertThat(third.end()).isEqualTo(Instant.parse("2026-11-30T00:00:00Z"));

        BudgetPeriod before = BudgetPeriod.containing(BudgetPeriod.CUSTOM, utc, start, 14, Instant.parse("2026-10-30T08:00:00Z"));
        assertThat(before.start()).isEqualTo(Instant.parse("2026-11-02T00:00:00Z"));
        assertThat(before.end()).isEqualTo(Instant.parse("2026-11-16T00:00:00Z"));
    }

    @Test
    void theEndIsThePeriodsOwnAndTheNextPeriodStartsThere() {
        BudgetPeriod day = period(BudgetPeriod.DAILY, "UTC", "2026-11-30T23:59:59.999Z");
        BudgetPeriod next = period(BudgetPeriod.DAILY, "UTC", "2026-12-01T00:00:00Z");

        assertThat(next.start()).isEqualTo(day.end());
        assertThat(day.elapsed(Instant.parse("2026-11-30T12:00:00Z"))).isEqualTo(0.5);
        assertThat(day.elapsed(Instant.parse("2026-12-02T00:00:00Z"))).isEqualTo(1.0);
    }
}
