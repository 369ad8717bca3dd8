package dev.atrium.console.layout;

import jakarta.inject.Inject;

import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import dev.atrium.console.api.ApiProblem;
import dev.atrium.console.api.ControlPlane;
import dev.atrium.console.session.ConsoleSession;
import dev.atrium.console.ui.Problems;

/** The landing page: opens the user's current tenant, the platform's tenants for operators, or the user's invitations. */
@Route(value = "", layout = MainLayout.class)
@PageTitle("Atrium")
public class HomeView extends Page implements BeforeEnterObserver {

    @Inject
    ControlPlane api;

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        ConsoleSession session;
        try {
            session = ConsoleSession.current(api);
        } catch (ApiProblem problem) {
            add(Problems.banner(problem));
            return;
        }
        if (session.tenant().isPresent() && session.memberships().stream().anyMatch(m -> m.id().equals(session.tenant().get().id()))) {
            event.forwardTo("t/" + session.tenant().get().id() + "/overview");
        } else if (session.platformAdmin()) {
            event.forwardTo("platform/tenants");
        } else if (!session.memberships().isEmpty()) {
            event.forwardTo("t/" + session.memberships().getFirst().id() + "/overview");
        } else if (session.platformReviewer()) {
            event.forwardTo("platform/models");
        } else {
            // not in any tenant yet: the invitations addressed to this person are where they join one
            event.forwardTo("invitations");
        }
    }
}
