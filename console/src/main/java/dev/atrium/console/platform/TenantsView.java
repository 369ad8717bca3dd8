package dev.atrium.console.platform;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Inject;

import com.fasterxml.jackson.core.type.TypeReference;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import dev.atrium.console.api.ApiProblem;
import dev.atrium.console.api.ControlPlane;
import dev.atrium.console.api.Views.Page;
import dev.atrium.console.api.Views.Tenant;
import dev.atrium.console.layout.MainLayout;
import dev.atrium.console.session.ConsoleSession;
import dev.atrium.console.ui.Badges;
import dev.atrium.console.ui.CursorPager;
import dev.atrium.console.ui.Formats;
import dev.atrium.console.ui.Problems;

/** Platform admins: every tenant, searchable, with its lifecycle (create, suspend, resume, delete). */
@Route(value = "platform/tenants", layout = MainLayout.class)
@PageTitle("Tenants · Atrium")
public class TenantsView extends dev.atrium.console.layout.Page implements BeforeEnterObserver {

    @Inject
    ControlPlane api;

    private final Grid<Tenant> grid = new Grid<>();
    private final TextField search = new TextField();
    private final Select<String> status = new Select<>();

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        try {
            if (!ConsoleSession.current(api).platformAdmin()) {
                refuse(event, noAccess("Only platform admins manage tenants."));
                return;
            }
        } catch (ApiProblem problem) {
            refuse(event, problem);
            return;
        }
        removeAll();
        add(header("Tenants", "Every customer organisation on this platform.", primaryAction("Create tenant", "create-tenant", this::openCreate)));

        search.setId("tenant-search");
        search.setPlaceholder("Search by name or slug");
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setClearButtonVisible(true);
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.setWidth("320px");
        search.addValueChangeListener(change -> reload());
        status.setId("tenant-status-filter");
        status.setItems("", "PROVISIONING", "ACTIVE", "SUSPENDED", "DELETING", "DELETED");
        status.setItemLabelGenerator(value -> value.isEmpty() ? "All except deleted" : value);
        status.setValue("");
        status.addValueChangeListener(change -> reload());
        Button refresh = new Button("Refresh", VaadinIcon.REFRESH.create(), click -> reload());
        refresh.setId("refresh-tenants");
        add(new HorizontalLayout(search, status, refresh));

        grid.removeAllColumns();
        grid.setId("tenants");
        grid.addColumn(Tenant::displayName).setHeader("Name").setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(Tenant::slug).setHeader("Slug").setAutoWidth(true);
        grid.addComponentColumn(tenant -> Badges.status(tenant.status())).setHeader("Status").setAutoWidth(true);
        grid.addColumn(Tenant::plan).setHeader("Plan").setAutoWidth(true);
        grid.addColumn(Tenant::residency).setHeader("Residency").setAutoWidth(true);
        grid.addColumn(tenant -> Formats.dateTime(tenant.createdAt())).setHeader("Created").setAutoWidth(true);
        grid.addComponentColumn(this::actions).setHeader("Actions").setWidth("400px").setFlexGrow(0);
        grid.setSizeFull();
        add(grid);
        reload();
    }

    private void reload() {
        CursorPager<Tenant> pager = new CursorPager<>((cursor, limit) -> {
            try {
                return api.get(ControlPlane.path("/api/v1/tenants", "q", search.getValue(), "status", status.getValue(),
                        "limit", limit, "cursor", cursor), new TypeReference<Page<Tenant>>() { });
            } catch (ApiProblem problem) {
                Problems.show(problem);
                return new Page<>(java.util.List.of(), null);
            }
        });
        grid.setItems(pager::fetch);
    }

    private Component actions(Tenant tenant) {
        HorizontalLayout actions = new HorizontalLayout();
        Button open = new Button("Open", click -> getUI().ifPresent(ui -> ui.navigate("t/" + tenant.id() + "/overview")));
        open.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        actions.add(open);
        String slug = tenant.slug();
        if (!"DELETED".equals(tenant.status())) {
            actions.add(lifecycle("Placement", "placement-" + slug, () -> PlacementDialog.open(api, tenant)));
        }
        switch (tenant.status()) {
            case "ACTIVE" -> actions.add(lifecycle("Suspend", "suspend-" + slug, () -> transition(tenant, ":suspend")));
            case "SUSPENDED" -> {
                actions.add(lifecycle("Resume", "resume-" + slug, () -> transition(tenant, ":resume")));
                Button delete = new Button("Delete", click -> confirmDelete(tenant));
                delete.setId("delete-" + slug);
                delete.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
                actions.add(delete);
            }
            default -> {
            }
        }
        return actions;
    }

    private Button lifecycle(String label, String id, Runnable action) {
        Button button = new Button(label, click -> action.run());
        button.setId(id);
        button.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        return button;
    }

    private void transition(Tenant tenant, String verb) {
        Problems.attempt(() -> api.post("/api/v1/tenants/" + tenant.id() + verb, null, Tenant.class)).ifPresent(changed -> {
            Problems.success(changed.displayName() + " is " + changed.status());
            grid.getDataProvider().refreshAll();
            reload();
        });
    }

    private void confirmDelete(Tenant tenant) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Delete " + tenant.displayName() + "?");
        TextField typed = new TextField("Type the tenant's slug to confirm");
        typed.setId("delete-confirmation");
        typed.setPlaceholder(tenant.slug());
        typed.setWidthFull();
        typed.setValueChangeMode(ValueChangeMode.EAGER);
        Button delete = new Button("Delete tenant", click -> {
            if (Problems.attempt(() -> api.delete("/api/v1/tenants/" + tenant.id()))) {
                dialog.close();
                Problems.success(tenant.displayName() + " is being deleted");
                reload();
            }
        });
        delete.setId("delete-confirm");
        delete.setEnabled(false);
        delete.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
        typed.addValueChangeListener(change -> delete.setEnabled(tenant.slug().equals(change.getValue())));
        dialog.add(new VerticalLayout(new Paragraph("Its API keys are revoked at once and its data planes are removed. "
                + "The audit trail is kept for its retention period."), typed));
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), delete);
        dialog.setWidth("480px");
        dialog.open();
    }

    private void openCreate() {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Create tenant");
        TextField displayName = new TextField("Display name");
        displayName.setId("tenant-display-name");
        displayName.setWidthFull();
        TextField slug = new TextField("Slug");
        slug.setId("tenant-slug");
        slug.setHelperText("Lower-case letters, digits and '-'; used in URLs and namespaces; cannot change later");
        slug.setWidthFull();
        Select<String> plan = new Select<>();
        plan.setLabel("Plan");
        plan.setItems("free", "standard", "enterprise");
        plan.setValue("standard");
        Select<String> residency = new Select<>();
        residency.setLabel("Data residency");
        residency.setItems("eu", "us", "apac");
        residency.setValue("eu");
        dialog.add(new VerticalLayout(displayName, slug, new HorizontalLayout(plan, residency)));
        Button create = new Button("Create", click -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("displayName", displayName.getValue());
            body.put("slug", slug.getValue());
            body.put("plan", plan.getValue());
            body.put("residency", residency.getValue());
            Problems.attempt(() -> api.post("/api/v1/tenants", body, Tenant.class)).ifPresent(created -> {
                dialog.close();
                Problems.success(created.displayName() + " created");
                reload();
            });
        });
        create.setId("tenant-create");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), create);
        dialog.setWidth("520px");
        dialog.open();
    }
}
