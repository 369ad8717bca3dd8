package dev.atrium.console.model;

import com.vaadin.flow.router.Route;

import dev.atrium.console.layout.MainLayout;
import dev.atrium.console.layout.TenantPage;
import dev.atrium.console.session.ConsoleSession;

/**
 * The model registry as the tenant sees it: its own models (tenant admins edit them and submit cards for a
 * compliance officer's review) and the platform's, read-only.
 */
@Route(value = "t/:tenantId/models", layout = MainLayout.class)
public class ModelsView extends TenantPage {

    @Override
    protected boolean allowed(ConsoleSession session) {
        return true;
    }

    @Override
    protected String title() {
        return "Models";
    }

    @Override
    protected void render() {
        add(header("Models", "Only versions whose model card a compliance officer approved are served by the data planes."));
        boolean admin = session.tenantAdmin();
        add(new ModelRegistryPanel(api, tenantApi("/models"), model -> admin && !model.platformWide(), admin, false));
    }
}
