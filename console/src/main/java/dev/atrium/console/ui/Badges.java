package dev.atrium.console.ui;

import com.vaadin.flow.component.html.Span;

/** Status pills (Lumo badges): green for healthy states, red for failures, grey for the rest. */
public final class Badges {

    private Badges() {
    }

    public static Span status(String status) {
        String text = status == null ? "—" : status;
        Span badge = new Span(text);
        String tone = switch (text) {
            case "ACTIVE", "APPROVED", "DONE", "VALID", "SUCCESS", "READY", "HEALTHY" -> "badge-success";
            case "SUSPENDED", "REJECTED", "FAILED", "REVOKED", "EXPIRED", "BROKEN", "FAILURE", "DENIED", "ERROR", "UNHEALTHY", "DEGRADED" -> "badge-error";
            case "IN_REVIEW", "PROVISIONING", "RUNNING", "PENDING", "INVITED", "DELETING", "INDEXING", "QUEUED", "REMOVING" -> "badge-pending";
            default -> "badge-neutral";
        };
        badge.addClassNames("badge", tone, "status-" + text.toLowerCase().replace('_', '-'));
        return badge;
    }
}
