package dev.atrium.console.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.router.Route;

import dev.atrium.console.api.ControlPlane;
import dev.atrium.console.api.Views.Digest;
import dev.atrium.console.api.Views.Page;
import dev.atrium.console.api.Views.SigningKey;
import dev.atrium.console.api.Views.Verification;
import dev.atrium.console.layout.MainLayout;
import dev.atrium.console.layout.TenantPage;
import dev.atrium.console.session.ConsoleSession;
import dev.atrium.console.ui.Formats;
import dev.atrium.console.ui.Problems;

/**
 * Is the tenant's audit trail intact? The control plane recomputes the hash chain and checks every signed digest;
 * this page shows the verdict, the digests and the public keys an auditor needs to check exports offline.
 */
@Route(value = "t/:tenantId/compliance/integrity", layout = MainLayout.class)
public class IntegrityView extends TenantPage {

    private final Div verdict = new Div();

    @Override
    protected boolean allowed(ConsoleSession session) {
        return session.auditReader();
    }

    @Override
    protected String title() {
        return "Audit integrity";
    }

    @Override
    protected void render() {
        Button verify = new Button("Verify again", VaadinIcon.REFRESH.create(), click -> verify());
        verify.setId("verify-chain");
        add(header("Audit integrity", "Hash chain and Ed25519-signed digests, recomputed by the control plane on request.", verify));
        verdict.setWidthFull();
        add(verdict);
        verify();

        Grid<Digest> digests = new Grid<>();
        digests.setId("digests");
        digests.addColumn(Digest::digestSequence).setHeader("Digest").setAutoWidth(true);
        digests.addColumn(digest -> digest.periodStart() + " → " + digest.periodEnd()).setHeader("Period").setAutoWidth(true);
        digests.addColumn(digest -> digest.firstSequence() + "–" + digest.lastSequence()).setHeader("Events").setAutoWidth(true);
        digests.addColumn(digest -> Formats.number(digest.eventCount())).setHeader("Count").setAutoWidth(true);
        digests.addColumn(Digest::keyId).setHeader("Key").setAutoWidth(true);
        digests.addColumn(digest -> Formats.shortHash(digest.digestHash())).setHeader("Digest hash").setAutoWidth(true).setFlexGrow(1);
        digests.setEmptyStateText("No digest yet: one is signed every 5 minutes or 1,000 events.");
        digests.setHeight("320px");
        Problems.attempt(() -> api.get(ControlPlane.path("/api/v1/audit/digests", "tenantId", tenant.id()),
                new TypeReference<Page<Digest>>() { })).ifPresent(page -> digests.setItems(page.items().reversed()));
        add(new H3("Signed digests"), digests);

        Grid<SigningKey> keys = new Grid<>();
        keys.setId("signing-keys");
        keys.addColumn(SigningKey::keyId).setHeader("Key id").setAutoWidth(true);
        keys.addColumn(SigningKey::algorithm).setHeader("Algorithm").setAutoWidth(true);
        keys.addColumn(key -> Formats.dateTime(key.validFrom())).setHeader("Valid from").setAutoWidth(true);
        keys.addColumn(key -> key.validTo() == null ? "current" : Formats.dateTime(key.validTo())).setHeader("Valid to").setAutoWidth(true);
        keys.addColumn(SigningKey::publicKey).setHeader("Public key (X.509, base64)").setFlexGrow(1);
        keys.setAllRowsVisible(true);
        keys.setEmptyStateText("No signing key yet: the first one is created with the first digest.");
        Problems.attempt(() -> api.get("/api/v1/audit/public-keys", new TypeReference<Page<SigningKey>>() { }))
                .ifPresent(page -> keys.setItems(page.items()));
        add(new H3("Signing keys"), keys);
    }

    private void verify() {
        verdict.removeAll();
        Problems.attempt(() -> api.get(ControlPlane.path("/api/v1/audit/verify", "tenantId", tenant.id()), Verification.class))
                .ifPresent(result -> {
                    Icon icon = (result.valid() ? VaadinIcon.CHECK_CIRCLE : VaadinIcon.CLOSE_CIRCLE).create();
                    icon.setSize("40px");
                    icon.getStyle().set("color", result.valid() ? "var(--lumo-success-color)" : "var(--lumo-error-color)");
                    Div text = new Div();
                    Span headline = new Span(result.valid() ? "Audit trail intact" : "Audit trail BROKEN");
                    headline.setId("verification-status");
                    headline.getStyle().set("font-weight", "600").set("font-size", "var(--lumo-font-size-xl)");
                    text.add(headline, new Div(Formats.number(result.verified()) + " events verified; "
                            + result.digests().path("verified").asInt() + " signed digests checked"));
                    if (result.valid()) {
                        Div head = new Div("Head hash " + result.headHash());
                        head.addClassName("mono");
                        text.add(head);
                    } else {
                        text.add(new Div("First bad event: " + result.firstBrokenEventId() + " — " + result.reason()));
                    }
                    HorizontalLayout card = new HorizontalLayout(icon, text);
                    card.setAlignItems(HorizontalLayout.Alignment.CENTER);
                    card.addClassName("card");
                    verdict.add(card);
                });
    }
}
