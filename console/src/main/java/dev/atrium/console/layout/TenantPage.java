package dev.atrium.console.layout;

import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;

import dev.atrium.console.api.ApiProblem;
import dev.atrium.console.api.ControlPlane;
import dev.atrium.console.api.Views.TenantMembership;
import dev.atrium.console.session.ConsoleSession;

/**
 * A page about one tenant, addressed as {@code /t/<tenantId>/...} so that links can be shared. The tenant in the
 * address must be one the user belongs to (platform admins may open any); otherwise the page refuses before
 * calling anything, and the control plane would refuse too.
 */
public abstract class TenantPage extends Page implements BeforeEnterObserver, HasDynamicTitle {

    @Inject
    protected ControlPlane api;

    protected ConsoleSession session;
    protected TenantMembership tenant;

    /** Whether the page is for this user in the current tenant. */
    protected abstract boolean allowed(ConsoleSession session);

    protected abstract String title();

    /** Builds the page; called on every navigation to it. */
    protected abstract void render();

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        try {
            session = ConsoleSession.current(api);
            UUID tenantId = event.getRouteParameters().get("tenantId").map(TenantPage::parse).orElse(null);
            Optional<TenantMembership> selected = tenantId == null ? Optional.empty() : session.select(tenantId, api);
            if (selected.isEmpty()) {
                refuse(event, noAccess("You are not a member of that tenant."));
                return;
            }
            tenant = selected.get();
            if (!allowed(session)) {
                refuse(event, noAccess("Your role in " + tenant.displayName() + " does not include " + title() + "."));
                return;
            }
        } catch (ApiProblem problem) {
            refuse(event, problem);
            return;
        }
        removeAll();
        render();
    }

    @Override
    public String getPageTitle() {
        return title() + (tenant == null ? "" : " · " + tenant.displayName()) + " · Atrium";
    }

    protected String tenantApi(String suffix) {
        return "/api/v1/tenants/" + tenant.id() + suffix;
    }

    private static UUID parse(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
