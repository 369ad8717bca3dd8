package dev.atrium.controlplane.audit.export;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.atrium.controlplane.trail.AuditRecord;

/**
 * Counts for a report's cover page (by action, outcome and actor), gathered while the selected events stream past,
 * so they always describe exactly the events in the report. Memory stays bounded: at most
 * {@value #MAX_TRACKED_ACTORS} distinct actors are counted by name, the rest together.
 */
final class ExportSummary {

    static final int MAX_TRACKED_ACTORS = 10_000;
    static final String OTHER_ACTORS = "(other actors)";

    private final Map<String, Long> actions = new HashMap<>();
    private final Map<String, Long> outcomes = new HashMap<>();
    private final Map<String, Long> actors = new HashMap<>();

    void count(AuditRecord event) {
        actions.merge(event.action(), 1L, Long::sum);
        outcomes.merge(event.outcome().name(), 1L, Long::sum);
        String actor = actors.containsKey(event.actorId()) || actors.size() < MAX_TRACKED_ACTORS ? event.actorId() : OTHER_ACTORS;
        actors.merge(actor, 1L, Long::sum);
    }

    Map<String, Long> byAction() {
        return top(actions, 100);
    }

    Map<String, Long> byOutcome() {
        return top(outcomes, 10);
    }

    Map<String, Long> byActor() {
        return top(actors, 18);
    }

    /** The largest counts first (ties by name), at most {@code limit}. */
    private static Map<String, Long> top(Map<String, Long> counts, int limit) {
        Map<String, Long> top = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(limit)
                .forEach(entry -> top.put(entry.getKey(), entry.getValue()));
        return top;
    }
}
