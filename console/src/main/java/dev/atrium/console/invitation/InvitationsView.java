package dev.atrium.console.invitation;

import jakarta.inject.Inject;

import com.fasterxml.jackson.core.type.TypeReference;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import dev.atrium.console.api.ControlPlane;
import dev.atrium.console.api.Views.Invitation;
import dev.atrium.console.api.Views.Page;
import dev.atrium.console.layout.MainLayout;
import dev.atrium.console.session.ConsoleSession;
import dev.atrium.console.ui.EmptyState;
import dev.atrium.console.ui.Formats;
import dev.atrium.console.ui.Problems;

/**
 * The signed-in person's invitations (matched by their verified e-mail address): accepting one makes them a member
 * of that tenant with the invited role.
 */
@Route(value = "invitations", layout = MainLayout.class)
@PageTitle("Invitations · Atrium")
public class InvitationsView extends dev.atrium.console.layout.Page implements BeforeEnterObserver {

    @Inject
    ControlPlane api;

    private final Grid<Invitation> grid = new Grid<>();
    private final Div empty = new Div();

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        add(header("Invitations", "Tenants that invited you. You join one by accepting its invitation."));
        grid.removeAllColumns();
        grid.setId("my-invitations");
        grid.addColumn(Invitation::tenantSlug).setHeader("Tenant").setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(Invitation::role).setHeader("Role").setAutoWidth(true);
        grid.addColumn(invitation -> Formats.dateTime(invitation.invitedAt())).setHeader("Invited").setAutoWidth(true);
        grid.addColumn(invitation -> Formats.dateTime(invitation.expiresAt())).setHeader("Expires").setAutoWidth(true);
        grid.addComponentColumn(this::actions).setHeader("Actions").setWidth("240px").setFlexGrow(0);
        grid.setHeight("320px");
        add(empty, grid);
        refresh();
    }

    private Component actions(Invitation invitation) {
        Button accept = new Button("Accept", click -> {
            if (Problems.attempt(() -> {
                api.post("/api/v1/me/invitations/" + invitation.id() + ":accept", null, Object.class);
            })) {
                ConsoleSession.reload(api);
                Problems.success("You joined " + invitation.tenantSlug() + " as " + invitation.role());
                getUI().ifPresent(ui -> ui.navigate("t/" + invitation.tenantId() + "/overview"));
            }
        });
        accept.setId("accept-" + invitation.tenantSlug());
        accept.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SMALL);
        Button decline = new Button("Decline", click -> {
            if (Problems.attempt(() -> {
                api.post("/api/v1/me/invitations/" + invitation.id() + ":decline", null, Object.class);
            })) {
                Problems.success("Invitation of " + invitation.tenantSlug() + " declined");
                refresh();
            }
        });
        decline.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
        return new HorizontalLayout(accept, decline);
    }

    private void refresh() {
        Problems.attempt(() -> api.get("/api/v1/me/invitations", new TypeReference<Page<Invitation>>() { })).ifPresent(page ->
                EmptyState.showIn(empty, grid, page.items(), () -> new EmptyState(VaadinIcon.ENVELOPE, "No invitations",
                        "When a tenant admin invites your e-mail address, the invitation appears here.")));
    }
}
