package dev.atrium.controlplane.audit.export;

import java.util.Map;

/** Counts for a report's cover page, computed by the database before the events are streamed. */
record ExportSummary(Map<String, Long> byAction, Map<String, Long> byOutcome, Map<String, Long> byActor) {
}
