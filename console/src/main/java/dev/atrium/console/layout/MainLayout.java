package dev.atrium.console.layout;

import java.util.Optional;

import jakarta.inject.Inject;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.avatar.Avatar;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.AfterNavigationEvent;
import com.vaadin.flow.router.AfterNavigationObserver;
import io.quarkus.security.identity.SecurityIdentity;

import dev.atrium.console.api.ApiProblem;
import dev.atrium.console.api.ControlPlane;
import dev.atrium.console.api.Views.TenantMembership;
import dev.atrium.console.session.ConsoleSession;
import dev.atrium.console.ui.Problems;

/**
 * The frame of every page: the navigation follows the signed-in user's roles in the current tenant, the tenant
 * switcher lists the tenants the user belongs to, and the user menu signs out (Keycloak's session too).
 */
public class MainLayout extends AppLayout implements AfterNavigationObserver {

    private final ControlPlane api;
    private final SecurityIdentity identity;
    private final Select<TenantMembership> tenantSwitcher = new Select<>();
    private final VerticalLayout navigation = new VerticalLayout();
    private boolean updatingSwitcher;

    @Inject
    public MainLayout(ControlPlane api, SecurityIdentity identity) {
        this.api = api;
        this.identity = identity;
        setPrimarySection(Section.DRAWER);

        Div brand = new Div(new Span("A"), new Span("Atrium"));
        brand.getComponentAt(0).getElement().getClassList().add("brand-mark");
        brand.addClassName("brand");
        navigation.setPadding(false);
        navigation.setSpacing(false);
        addToDrawer(brand, navigation);

        tenantSwitcher.setId("tenant-switcher");
        tenantSwitcher.setPlaceholder("Select a tenant");
        tenantSwitcher.setItemLabelGenerator(t -> t.displayName() + " (" + t.slug() + ")");
        tenantSwitcher.setWidth("320px");
        tenantSwitcher.addValueChangeListener(event -> {
            if (!updatingSwitcher && event.isFromClient() && event.getValue() != null) {
                getUI().ifPresent(ui -> ui.navigate("t/" + event.getValue().id() + "/overview"));
            }
        });

        Avatar avatar = new Avatar(identity.getPrincipal().getName());
        avatar.setThemeName("xsmall");
        Span user = new Span(identity.getPrincipal().getName());
        user.setId("signed-in-user");
        Anchor signOut = new Anchor("/logout", "Sign out");
        signOut.setId("sign-out");
        signOut.setRouterIgnore(true);
        HorizontalLayout userChip = new HorizontalLayout(avatar, user, signOut);
        userChip.addClassName("user-chip");
        HorizontalLayout navbar = new HorizontalLayout(new DrawerToggle(), tenantSwitcher, userChip);
        navbar.setWidthFull();
        navbar.setAlignItems(HorizontalLayout.Alignment.CENTER);
        addToNavbar(navbar);
    }

    @Override
    public void afterNavigation(AfterNavigationEvent event) {
        ConsoleSession session;
        try {
            session = ConsoleSession.current(api);
        } catch (ApiProblem problem) {
            Problems.show(problem);
            return;
        }
        updatingSwitcher = true;
        tenantSwitcher.setItems(session.memberships());
        Optional<TenantMembership> tenant = session.tenant();
        tenantSwitcher.setValue(tenant.flatMap(t -> session.memberships().stream().filter(m -> m.id().equals(t.id())).findFirst())
                .orElse(null));
        tenantSwitcher.setVisible(!session.memberships().isEmpty());
        updatingSwitcher = false;
        buildNavigation(session);
    }

    private void buildNavigation(ConsoleSession session) {
        navigation.removeAll();
        if (session.platformAdmin() || session.platformReviewer()) {
            SideNav platform = new SideNav("Platform");
            if (session.platformAdmin()) {
                platform.addItem(item("Tenants", "platform/tenants", VaadinIcon.BUILDING));
                platform.addItem(item("Regions", "platform/regions", VaadinIcon.GLOBE));
                platform.addItem(item("GPU pools", "platform/gpu-pools", VaadinIcon.SERVER));
            }
            platform.addItem(item("Platform models", "platform/models", VaadinIcon.CUBES));
            navigation.add(platform);
        }
        SideNav personal = new SideNav();
        personal.addItem(item("Invitations", "invitations", VaadinIcon.ENVELOPE));
        session.tenant().ifPresent(tenant -> {
            String base = "t/" + tenant.id() + "/";
            SideNav workspace = new SideNav(tenant.displayName());
            workspace.addItem(item("Overview", base + "overview", VaadinIcon.DASHBOARD));
            if (session.tenantAdmin()) {
                workspace.addItem(item("Members", base + "members", VaadinIcon.USERS));
                workspace.addItem(item("API keys", base + "api-keys", VaadinIcon.KEY));
                workspace.addItem(item("Secrets", base + "secrets", VaadinIcon.LOCK));
            }
            if (session.member()) {
                // the data planes accept a person's token for their own tenants only
                workspace.addItem(item("Knowledge bases", base + "knowledge-bases", VaadinIcon.BOOK));
            }
            workspace.addItem(item("Models", base + "models", VaadinIcon.CUBES));
            if (session.member()) {
                workspace.addItem(item("Deployments", base + "deployments", VaadinIcon.CLOUD_UPLOAD));
            }
            if (session.auditReader()) {
                workspace.addItem(item("Audit log", base + "audit", VaadinIcon.LIST));
            }
            navigation.add(workspace);
            if (session.auditReader()) {
                SideNav compliance = new SideNav("Compliance");
                compliance.addItem(item("Integrity", base + "compliance/integrity", VaadinIcon.SHIELD));
                if (session.auditor()) {
                    compliance.addItem(item("Exports", base + "compliance/exports", VaadinIcon.DOWNLOAD));
                }
                if (session.modelReviewer()) {
                    compliance.addItem(item("Model reviews", base + "compliance/reviews", VaadinIcon.CHECK_SQUARE_O));
                }
                navigation.add(compliance);
            }
        });
        navigation.add(personal);
    }

    private static SideNavItem item(String label, String path, VaadinIcon icon) {
        SideNavItem item = new SideNavItem(label, "/" + path, icon.create());
        item.setId("nav-" + path.replaceAll("^t/[^/]+/", "").replace('/', '-'));
        return item;
    }
}
