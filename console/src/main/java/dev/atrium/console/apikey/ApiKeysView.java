package dev.atrium.console.apikey;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Route;

import dev.atrium.console.api.Views.ApiKey;
import dev.atrium.console.api.Views.Page;
import dev.atrium.console.layout.MainLayout;
import dev.atrium.console.layout.TenantPage;
import dev.atrium.console.session.ConsoleSession;
import dev.atrium.console.ui.Badges;
import dev.atrium.console.ui.Confirm;
import dev.atrium.console.ui.EmptyState;
import dev.atrium.console.ui.Formats;
import dev.atrium.console.ui.Problems;
import dev.atrium.tenancy.Scope;

/** API keys of the tenant: issue (the secret is shown once), list, revoke. */
@Route(value = "t/:tenantId/api-keys", layout = MainLayout.class)
public class ApiKeysView extends TenantPage {

    private static String describe(Scope scope) {
        return switch (scope) {
            case MODELS_INVOKE -> "call models (chat, embeddings)";
            case RAG_QUERY -> "query knowledge bases";
            case RAG_INGEST -> "create knowledge bases and add documents";
            case AUDIT_READ -> "read the tenant's audit trail";
            case ADMIN -> "manage the tenant through the API";
        };
    }

    private final Grid<ApiKey> grid = new Grid<>();
    private final Div empty = new Div();

    @Override
    protected boolean allowed(ConsoleSession session) {
        return session.tenantAdmin();
    }

    @Override
    protected String title() {
        return "API keys";
    }

    @Override
    protected void render() {
        Button create = primaryAction("Create API key", "create-api-key", this::openCreateDialog);
        add(header("API keys", "Keys let programs call Atrium's API on behalf of " + tenant.displayName()
                + ". A key's secret is shown once, when it is created.", create));

        grid.removeAllColumns();
        grid.setId("api-keys");
        grid.addColumn(ApiKey::name).setHeader("Name").setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(key -> key.prefix() + "…").setHeader("Key").setPartNameGenerator(key -> "mono").setAutoWidth(true);
        grid.addColumn(key -> String.join(", ", key.scopes().stream().sorted().toList())).setHeader("Scopes").setAutoWidth(true);
        grid.addComponentColumn(key -> Badges.status(key.status())).setHeader("Status").setAutoWidth(true);
        grid.addColumn(key -> Formats.dateTime(key.createdAt())).setHeader("Created").setAutoWidth(true);
        grid.addColumn(key -> Formats.ago(key.lastUsedAt())).setHeader("Last used").setAutoWidth(true);
        grid.addColumn(key -> key.expiresAt() == null ? "never" : Formats.dateTime(key.expiresAt())).setHeader("Expires").setAutoWidth(true);
        grid.addComponentColumn(this::revokeButton).setHeader("").setAutoWidth(true).setFlexGrow(0);
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.setSizeFull();
        add(empty, grid);
        refresh();
    }

    private Component revokeButton(ApiKey key) {
        if (!"ACTIVE".equals(key.status())) {
            return new Span();
        }
        Button revoke = new Button("Revoke", click -> confirmRevoke(key));
        revoke.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        revoke.addClassName("revoke-" + key.name().replaceAll("[^A-Za-z0-9-]", "-"));
        return revoke;
    }

    private void refresh() {
        Problems.attempt(() -> api.get(tenantApi("/api-keys"), new TypeReference<Page<ApiKey>>() { }))
                .ifPresent(page -> EmptyState.showIn(empty, grid, page.items(), () -> new EmptyState(VaadinIcon.KEY,
                        "No API keys yet", "Create a key for each application that calls Atrium, with only the scopes it needs.")));
    }

    private void confirmRevoke(ApiKey key) {
        Confirm.destructive("Revoke " + key.name() + "?",
                "Programs using this key are refused from now on. This cannot be undone.", "Revoke key", () -> {
                    if (Problems.attempt(() -> api.delete(tenantApi("/api-keys/" + key.id())))) {
                        Problems.success("Key " + key.name() + " revoked");
                        refresh();
                    }
                });
    }

    private void openCreateDialog() {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Create API key");
        TextField name = new TextField("Name");
        name.setId("api-key-name");
        name.setPlaceholder("e.g. support-bot production");
        name.setWidthFull();
        name.setRequired(true);
        CheckboxGroup<String> scopes = new CheckboxGroup<>("Scopes");
        scopes.setId("api-key-scopes");
        scopes.setItems(Arrays.stream(Scope.values()).map(Scope::value).toList());
        scopes.setItemLabelGenerator(scope -> scope + " — " + describe(Scope.fromValue(scope).orElseThrow()));
        scopes.setValue(Set.of("models:invoke", "rag:query"));
        scopes.addThemeName("vertical");
        DatePicker expires = new DatePicker("Expires (optional)");
        expires.setMin(LocalDate.now(ZoneOffset.UTC).plusDays(1));
        VerticalLayout form = new VerticalLayout(name, scopes, expires);
        form.setPadding(false);
        dialog.add(form);
        Button cancel = new Button("Cancel", click -> dialog.close());
        Button create = new Button("Create", click -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name.getValue());
            body.put("scopes", List.copyOf(scopes.getValue()));
            if (expires.getValue() != null) {
                body.put("expiresAt", expires.getValue().atStartOfDay(ZoneOffset.UTC).toInstant().toString());
            }
            Problems.attempt(() -> api.post(tenantApi("/api-keys"), body, ApiKey.class)).ifPresent(key -> {
                dialog.close();
                showSecretOnce(key);
                refresh();
            });
        });
        create.setId("api-key-create");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(cancel, create);
        dialog.setWidth("560px");
        dialog.open();
        name.focus();
    }

    private void showSecretOnce(ApiKey key) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Key " + key.name() + " created");
        dialog.setCloseOnOutsideClick(false);
        Div secret = new Div(key.secret());
        secret.setId("api-key-secret");
        secret.addClassName("secret-once");
        Button copy = new Button("Copy", VaadinIcon.COPY.create(), click -> {
            UI.getCurrent().getPage().executeJs("navigator.clipboard && navigator.clipboard.writeText($0)", key.secret());
            Problems.success("Copied to the clipboard");
        });
        copy.setId("copy-secret");
        Div warning = new Div(new Span("Copy the secret now. Atrium stores only a hash of it: it will never be shown again. "
                + "If it is lost, create a new key and revoke this one."));
        warning.addClassName("warning-callout");
        HorizontalLayout row = new HorizontalLayout(secret, copy);
        row.setWidthFull();
        row.setAlignItems(HorizontalLayout.Alignment.CENTER);
        row.expand(secret);
        dialog.add(new VerticalLayout(warning, row,
                new Paragraph("Use it as a bearer token: Authorization: Bearer " + key.prefix() + "…")));
        Button done = new Button("I have copied the secret", click -> dialog.close());
        done.setId("secret-done");
        done.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(done);
        dialog.setWidth("640px");
        dialog.open();
    }
}
