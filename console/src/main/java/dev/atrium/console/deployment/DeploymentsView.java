package dev.atrium.console.deployment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Route;

import dev.atrium.console.api.ControlPlane;
import dev.atrium.console.api.Views.Deployment;
import dev.atrium.console.api.Views.Model;
import dev.atrium.console.api.Views.ModelVersion;
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
 * The tenant's model deployments: which APPROVED version of which model its applications reach under a name, at
 * which backend, with which of its secrets as the backend's key. Tenant admins deploy and remove; members read.
 */
@Route(value = "t/:tenantId/deployments", layout = MainLayout.class)
public class DeploymentsView extends TenantPage {

    private final Grid<Deployment> grid = new Grid<>();
    private final Div empty = new Div();

    @Override
    protected boolean allowed(ConsoleSession session) {
        return session.member();
    }

    @Override
    protected String title() {
        return "Deployments";
    }

    @Override
    protected void render() {
        List<Component> actions = new ArrayList<>();
        if (session.tenantAdmin()) {
            actions.add(primaryAction("Deploy a model", "new-deployment", this::openDeploy));
        }
        add(header("Deployments", "Approved model versions served under a name: from an OpenAI-compatible backend with your own key, or by a model server on a GPU pool.",
                actions.toArray(Component[]::new)));
        grid.removeAllColumns();
        grid.setId("deployments");
        grid.addColumn(Deployment::name).setHeader("Name").setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(d -> d.model() + "@" + d.version()).setHeader("Serves").setAutoWidth(true);
        grid.addColumn(DeploymentsView::backend).setHeader("Backend").setAutoWidth(true);
        grid.addColumn(d -> d.upstream() == null ? "-" : d.upstream().apiKeySecret() == null ? "no key" : d.upstream().apiKeySecret())
                .setHeader("Key (secret)").setAutoWidth(true);
        grid.addColumn(DeploymentsView::servers).setHeader("Model servers").setAutoWidth(true);
        grid.addColumn(d -> d.fallback() == null ? "" : d.fallback()).setHeader("Fallback").setAutoWidth(true);
        grid.addColumn(d -> Formats.dateTime(d.updatedAt())).setHeader("Changed").setAutoWidth(true);
        grid.addComponentColumn(this::rolloutLink).setHeader("Rollout").setWidth("130px").setFlexGrow(0);
        if (session.tenantAdmin()) {
            grid.addComponentColumn(this::remove).setHeader("Actions").setWidth("140px").setFlexGrow(0);
        }
        grid.setSizeFull();
        add(empty, grid);
        refresh();
    }

    /** An upstream's URL, or where a self-hosted model server runs and how big it may get. */
    static String backend(Deployment deployment) {
        if (deployment.selfHosted() != null) {
            Deployment.SelfHosted server = deployment.selfHosted();
            return "GPU pool " + server.gpuPool() + " · " + server.gpus().toPlainString() + " GPU × " + server.minReplicas() + "–"
                    + server.maxReplicas() + (server.minReplicas() == 0 ? " (scales to zero after " + server.idleMinutes() + " min)" : "");
        }
        return deployment.upstream() == null ? "" : deployment.upstream().url();
    }

    /** A self-hosted deployment's state in each region, e.g. "k8s-eu: Ready 1/1". */
    static String servers(Deployment deployment) {
        if (deployment.selfHosted() == null) {
            return "-";
        }
        if (deployment.servers() == null || deployment.servers().isEmpty()) {
            return "being provisioned";
        }
        return String.join("; ", deployment.servers().stream().map(s -> s.region() + ("candidate".equals(s.role()) ? " (candidate)" : "")
                + ": " + s.state() + " " + s.readyReplicas() + "/" + s.desiredReplicas()).toList());
    }

    private Component rolloutLink(Deployment deployment) {
        Button open = new Button("Rollout", click -> getUI().ifPresent(ui -> ui.navigate("t/" + tenant.id() + "/deployments/"
                + deployment.name() + "/rollout")));
        open.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        open.addClassName("rollout-" + deployment.name());
        return open;
    }

    private Component remove(Deployment deployment) {
        Button delete = new Button("Remove", click -> Confirm.destructive("Remove " + deployment.name() + "?",
                "Applications calling '" + deployment.name() + "' get 404 once the data planes notice (within 30 s).", "Remove deployment", () -> {
                    if (Problems.attempt(() -> api.delete(tenantApi("/deployments/" + ControlPlane.segment(deployment.name()))))) {
                        Problems.success(deployment.name() + " removed");
                        refresh();
                    }
                }));
        delete.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
        delete.addClassName("remove-" + deployment.name());
        return delete;
    }

    private void refresh() {
        Problems.attempt(() -> api.get(tenantApi("/deployments"), new TypeReference<Page<Deployment>>() { })).ifPresent(page ->
                EmptyState.showIn(empty, grid, page.items(), () -> new EmptyState(VaadinIcon.CLOUD_UPLOAD, "No deployments yet",
                        "Deploy an approved model version to serve it from your own provider account.")));
    }

    /** Every APPROVED version of the chat models the tenant can see, as {@code model@version}. */
    private List<String> approvedVersions() {
        List<String> approved = new ArrayList<>();
        Problems.attempt(() -> api.get(tenantApi("/models"), new TypeReference<Page<Model>>() { })).ifPresent(models -> {
            for (Model model : models.items()) {
                if (!"llm".equals(model.type())) {
                    continue;
                }
                Problems.attempt(() -> api.get(tenantApi("/models/" + ControlPlane.segment(model.name()) + "/versions"),
                        new TypeReference<Page<ModelVersion>>() { })).ifPresent(versions -> versions.items().stream()
                        .filter(version -> "APPROVED".equals(version.status()))
                        .forEach(version -> approved.add(model.name() + "@" + version.version())));
            }
        });
        return approved;
    }

    private void openDeploy() {
        List<String> approved = approvedVersions();
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Deploy a model");
        if (approved.isEmpty()) {
            dialog.add(new Paragraph("No chat model has an APPROVED version yet: register one under Models and have a compliance "
                    + "officer approve its card first."));
            dialog.getFooter().add(new Button("Close", click -> dialog.close()));
            dialog.open();
            return;
        }
        TextField name = new TextField("Name");
        name.setId("deployment-name");
        name.setHelperText("What applications send as \"model\"; lower-case letters, digits, '.', '_' and '-'");
        name.setWidthFull();
        Select<String> version = new Select<>();
        version.setId("deployment-version");
        version.setLabel("Approved version");
        version.setItems(approved);
        version.setValue(approved.getFirst());
        version.setWidthFull();
        Select<String> kind = new Select<>();
        kind.setId("deployment-kind");
        kind.setLabel("Served by");
        kind.setItems("upstream", "self-hosted");
        kind.setItemLabelGenerator(k -> "upstream".equals(k) ? "An OpenAI-compatible backend (your provider account)"
                : "A model server Atrium runs on a GPU pool (dedicated plans)");
        kind.setValue("upstream");
        kind.setWidthFull();
        TextField url = new TextField("Backend URL");
        url.setId("deployment-url");
        url.setPlaceholder("https://api.openai.com/v1");
        url.setHelperText("An OpenAI-compatible API; not an address of the platform's own network");
        url.setWidthFull();
        TextField upstreamModel = new TextField("Model at the backend (optional)");
        upstreamModel.setId("deployment-upstream-model");
        upstreamModel.setPlaceholder("gpt-4o-mini");
        upstreamModel.setWidthFull();
        Select<String> secret = new Select<>();
        secret.setId("deployment-secret");
        secret.setLabel("Backend key (a secret of this tenant)");
        secret.setEmptySelectionAllowed(true);
        secret.setEmptySelectionCaption("No key");
        Problems.attempt(() -> api.get(tenantApi("/secrets"), new TypeReference<Page<Secret>>() { }))
                .ifPresent(secrets -> secret.setItems(secrets.items().stream().map(Secret::name)
                        .filter(n -> !n.startsWith("dedicated.")).toList()));
        secret.setWidthFull();
        TextField pool = new TextField("GPU pool");
        pool.setId("deployment-gpu-pool");
        pool.setHelperText("A GPU pool of the regions your tenant is placed in (your platform team names them)");
        com.vaadin.flow.component.textfield.NumberField gpus = new com.vaadin.flow.component.textfield.NumberField("GPUs per replica");
        gpus.setId("deployment-gpus");
        gpus.setValue(1.0);
        gpus.setHelperText("A fraction only where the pool shares GPUs");
        com.vaadin.flow.component.textfield.IntegerField minReplicas = new com.vaadin.flow.component.textfield.IntegerField("Min replicas");
        minReplicas.setId("deployment-min-replicas");
        minReplicas.setValue(1);
        minReplicas.setHelperText("0 scales to zero while idle");
        com.vaadin.flow.component.textfield.IntegerField maxReplicas = new com.vaadin.flow.component.textfield.IntegerField("Max replicas");
        maxReplicas.setId("deployment-max-replicas");
        maxReplicas.setValue(1);
        Runnable shape = () -> {
            boolean upstreamKind = "upstream".equals(kind.getValue());
            url.setVisible(upstreamKind);
            upstreamModel.setVisible(upstreamKind);
            secret.setVisible(upstreamKind);
            pool.setVisible(!upstreamKind);
            gpus.setVisible(!upstreamKind);
            minReplicas.setVisible(!upstreamKind);
            maxReplicas.setVisible(!upstreamKind);
        };
        kind.addValueChangeListener(change -> shape.run());
        shape.run();
        dialog.add(new VerticalLayout(name, version, kind, url, upstreamModel, secret, pool, gpus,
                new com.vaadin.flow.component.orderedlayout.HorizontalLayout(minReplicas, maxReplicas),
                new Paragraph("A backend's key stays in the secret store; data planes read it when they need it, and every read is audited.")));
        Button save = new Button("Deploy", click -> {
            String[] served = version.getValue().split("@", 2);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name.getValue().strip());
            body.put("model", served[0]);
            body.put("version", served[1]);
            body.put("kind", kind.getValue());
            if ("upstream".equals(kind.getValue())) {
                Map<String, Object> upstream = new LinkedHashMap<>();
                upstream.put("url", url.getValue().strip());
                if (!upstreamModel.getValue().isBlank()) {
                    upstream.put("model", upstreamModel.getValue().strip());
                }
                if (secret.getValue() != null) {
                    upstream.put("apiKeySecret", secret.getValue());
                }
                body.put("upstream", upstream);
            } else {
                Map<String, Object> server = new LinkedHashMap<>();
                server.put("gpuPool", pool.getValue().strip());
                if (gpus.getValue() != null) {
                    server.put("gpus", java.math.BigDecimal.valueOf(gpus.getValue()));
                }
                if (minReplicas.getValue() != null) {
                    server.put("minReplicas", minReplicas.getValue());
                }
                if (maxReplicas.getValue() != null) {
                    server.put("maxReplicas", maxReplicas.getValue());
                }
                body.put("selfHosted", server);
            }
            Problems.attempt(() -> api.post(tenantApi("/deployments"), body, Deployment.class)).ifPresent(created -> {
                dialog.close();
                Problems.success(created.name() + " serves " + created.model() + "@" + created.version());
                refresh();
            });
        });
        save.setId("deployment-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), save);
        dialog.setWidth("520px");
        dialog.open();
    }
}
