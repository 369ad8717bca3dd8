package dev.atrium.console.platform;

import jakarta.inject.Inject;

import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import dev.atrium.console.api.ApiProblem;
import dev.atrium.console.api.ControlPlane;
import dev.atrium.console.layout.MainLayout;
import dev.atrium.console.layout.Page;
import dev.atrium.console.model.ModelRegistryPanel;
import dev.atrium.console.session.ConsoleSession;

/**
 * The models every tenant can use: platform admins register them and their versions; platform compliance officers
 * (another person than the submitter) review their cards.
 */
@Route(value = "platform/models", layout = MainLayout.class)
@PageTitle("Platform models · Atrium")
public class PlatformModelsView extends Page implements BeforeEnterObserver {

    @Inject
    ControlPlane api;

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        ConsoleSession session;
        try {
            session = ConsoleSession.current(api);
            if (!session.platformAdmin() && !session.platformReviewer()) {
                refuse(event, noAccess("Only platform admins and platform compliance officers see platform-wide models."));
                return;
            }
        } catch (ApiProblem problem) {
            refuse(event, problem);
            return;
        }
        removeAll();
        add(header("Platform models", "Offered to every tenant once a platform compliance officer approved the version's model card."));
        add(new ModelRegistryPanel(api, "/api/v1/platform/models", model -> session.platformAdmin(), session.platformAdmin(),
                session.platformReviewer()));
    }
}
