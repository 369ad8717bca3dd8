package dev.atrium.dataplane.guardrail;

import java.util.Map;
import java.util.TreeMap;

/** The guardrail decisions taken while serving one request, counted by {@code rule:action}; part of its usage event. */
public final class GuardrailDecisions {

    private final Map<String, Long> counts = new TreeMap<>();

    void add(String rule, GuardrailAction action) {
        add(rule, action, 1);
    }

    void add(String rule, GuardrailAction action, long times) {
        counts.merge(rule + ":" + action.value(), times, Long::sum);
    }

    public Map<String, Long> counts() {
        return Map.copyOf(counts);
    }

    public boolean isEmpty() {
        return counts.isEmpty();
    }
}
