package dev.atrium.console.session;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.vaadin.flow.server.VaadinSession;

import dev.atrium.console.api.ControlPlane;
import dev.atrium.console.api.DataPlane;
import dev.atrium.console.api.Views.Me;
import dev.atrium.console.api.Views.Tenant;
import dev.atrium.console.api.Views.TenantMembership;

/**
 * Who is signed in ({@code GET /api/v1/me}, read once per browser session) and which tenant the pages work on.
 * Navigation only follows these roles; the control plane checks every call again.
 */
public final class ConsoleSession {

    public static final String TENANT_ADMIN = "tenant-admin";
    public static final String COMPLIANCE_OFFICER = "compliance-officer";

    private final Me me;
    private TenantMembership tenant;

    private ConsoleSession(Me me, VaadinSession browserSession) {
        this.me = me;
        select(me.tenants().isEmpty() ? null : me.tenants().getFirst(), browserSession);
    }

    public static ConsoleSession current(ControlPlane controlPlane) {
        VaadinSession session = VaadinSession.getCurrent();
        ConsoleSession current = session.getAttribute(ConsoleSession.class);
        if (current == null) {
            current = new ConsoleSession(controlPlane.get("/api/v1/me", Me.class), session);
            session.setAttribute(ConsoleSession.class, current);
        }
        return current;
    }

    /** Reads {@code /me} again, e.g. after the user created a tenant or was given a role. */
    public static ConsoleSession reload(ControlPlane controlPlane) {
        VaadinSession.getCurrent().setAttribute(ConsoleSession.class, null);
        return current(controlPlane);
    }

    public Me me() {
        return me;
    }

    public boolean platformAdmin() {
        return me.platformAdmin();
    }

    /** Reviews platform-wide models and may export any tenant's trail. */
    public boolean platformReviewer() {
        return me.platformComplianceOfficer();
    }

    public List<TenantMembership> memberships() {
        return me.tenants();
    }

    public Optional<TenantMembership> tenant() {
        return Optional.ofNullable(tenant);
    }

    /**
     * Makes {@code tenantId} the current tenant. Members get their roles; a platform admin may open any tenant and
     * acts as its administrator (what the API allows platform admins; reviewer rights are not among them). Empty for
     * anyone else.
     */
    public Optional<TenantMembership> select(UUID tenantId, ControlPlane controlPlane) {
        Optional<TenantMembership> membership = me.tenants().stream().filter(t -> t.id().equals(tenantId)).findFirst();
        if (membership.isEmpty() && me.platformAdmin()) {
            Tenant found = controlPlane.get("/api/v1/tenants/" + tenantId, Tenant.class);
            membership = Optional.of(new TenantMembership(found.id(), found.slug(), found.displayName(), found.status(),
                    List.of(TENANT_ADMIN)));
        }
        membership.ifPresent(selected -> select(selected, VaadinSession.getCurrent()));
        return membership;
    }

    /** The data plane's calls name the current tenant too ({@code X-Atrium-Tenant}). */
    private void select(TenantMembership selected, VaadinSession browserSession) {
        tenant = selected;
        if (browserSession != null) {
            DataPlane.selectTenant(browserSession, selected == null ? null : selected.id());
        }
    }

    /** Whether the user belongs to the current tenant (a platform admin may have opened one they do not). */
    public boolean member() {
        return tenant != null && me.tenants().stream().anyMatch(t -> t.id().equals(tenant.id()));
    }

    public boolean can(String role) {
        return tenant != null && tenant.has(role);
    }

    /** Reading the trail and checking its integrity: the tenant's admins and compliance officers, platform admins. */
    public boolean auditReader() {
        return tenantAdmin() || can(COMPLIANCE_OFFICER);
    }

    /** Exports (reviewer rights): the tenant's compliance officers, people only (the console's users are people). */
    public boolean auditor() {
        return can(COMPLIANCE_OFFICER);
    }

    public boolean tenantAdmin() {
        return can(TENANT_ADMIN);
    }

    /** Only a compliance officer of the tenant reviews its model cards (platform admins do not). */
    public boolean modelReviewer() {
        return tenant != null && tenant.has(COMPLIANCE_OFFICER);
    }
}
