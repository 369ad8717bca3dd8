package dev.atrium.console.secret;

import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Route;

import dev.atrium.console.api.ControlPlane;
import dev.atrium.console.api.Views.Page;
import dev.atrium.console.api.Views.Secret;
import dev.atrium.console.layout.MainLayout;
import dev.atrium.console.layout.TenantPage;
import dev.atrium.console.session.ConsoleSession;
import dev.atrium.console.ui.Confirm;
import dev.atrium.console.ui.EmptyState;
import dev.atrium.console.ui.Formats;
import dev.atrium.console.ui.Problems;

/**
 * The tenant's secrets (upstream API keys, connection strings): names and versions only. A value can be set, never
 * read back: the console has no way to show one, because the API has none.
 */
@Route(value = "t/:tenantId/secrets", layout = MainLayout.class)
public class SecretsView extends TenantPage {

    private final Grid<Secret> grid = new Grid<>();
    private final Div empty = new Div();

    @Override
    protected boolean allowed(ConsoleSession session) {
        return session.tenantAdmin();
    }

    @Override
    protected String title() {
        return "Secrets";
    }

    @Override
    protected void render() {
        Button create = primaryAction("New secret", "new-secret", () -> openSetValue(null));
        add(header("Secrets", "Encrypted at rest; values are write-only. Every change adds a version and is audited.", create));
        grid.removeAllColumns();
        grid.setId("secrets");
        grid.addColumn(Secret::name).setHeader("Name").setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(Secret::version).setHeader("Version").setAutoWidth(true);
        grid.addColumn(secret -> secret.generated() ? "generated" : "set by a person").setHeader("Origin").setAutoWidth(true);
        grid.addColumn(secret -> Formats.dateTime(secret.updatedAt())).setHeader("Changed").setAutoWidth(true);
        grid.addColumn(Secret::updatedBy).setHeader("Changed by").setAutoWidth(true);
        grid.addComponentColumn(this::actions).setHeader("Actions").setWidth("300px").setFlexGrow(0);
        grid.setSizeFull();
        add(empty, grid);
        refresh();
    }

    private Component actions(Secret secret) {
        Button set = new Button("Set new value", click -> openSetValue(secret.name()));
        set.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        Button delete = new Button("Delete", click -> confirmDelete(secret));
        delete.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
        return new HorizontalLayout(set, delete);
    }

    private void refresh() {
        Problems.attempt(() -> api.get(tenantApi("/secrets"), new TypeReference<Page<Secret>>() { })).ifPresent(page ->
                EmptyState.showIn(empty, grid, page.items(), () -> new EmptyState(VaadinIcon.LOCK, "No secrets yet",
                        "Store credentials the data plane needs (for example an upstream model's API key) here, not in configuration.")));
    }

    private void openSetValue(String existingName) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(existingName == null ? "New secret" : "New value for " + existingName);
        TextField name = new TextField("Name");
        name.setId("secret-name");
        name.setWidthFull();
        name.setHelperText("Letters, digits, '.', '_' and '-'");
        if (existingName != null) {
            name.setValue(existingName);
            name.setReadOnly(true);
        }
        PasswordField value = new PasswordField("Value");
        value.setId("secret-value");
        value.setWidthFull();
        value.setRevealButtonVisible(false);
        dialog.add(new VerticalLayout(name, value,
                new Paragraph("The value is encrypted and cannot be displayed again, here or through the API.")));
        Button save = new Button("Save", click -> Problems.attempt(() ->
                api.put(tenantApi("/secrets/" + ControlPlane.segment(name.getValue())), Map.of("value", value.getValue()), Secret.class))
                .ifPresent(saved -> {
                    value.clear();
                    dialog.close();
                    Problems.success(saved.name() + " is now at version " + saved.version());
                    refresh();
                }));
        save.setId("secret-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), save);
        dialog.setWidth("480px");
        dialog.open();
    }

    private void confirmDelete(Secret secret) {
        Confirm.destructive("Delete " + secret.name() + "?", "Services that read this secret fail from now on.", "Delete", () -> {
            if (Problems.attempt(() -> api.delete(tenantApi("/secrets/" + ControlPlane.segment(secret.name()))))) {
                Problems.success(secret.name() + " deleted");
                refresh();
            }
        });
    }
}
