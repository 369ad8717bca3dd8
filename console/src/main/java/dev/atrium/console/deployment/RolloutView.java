package dev.atrium.console.deployment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;

import dev.atrium.console.api.ApiProblem;
import dev.atrium.console.api.ControlPlane;
import dev.atrium.console.api.Views.Deployment;
import dev.atrium.console.api.Views.ModelVersion;
import dev.atrium.console.api.Views.Page;
import dev.atrium.console.api.Views.RolloutDecision;
import dev.atrium.console.api.Views.RolloutStatus;
import dev.atrium.console.api.Views.Secret;
import dev.atrium.console.api.Views.VersionMetrics;
import dev.atrium.console.layout.MainLayout;
import dev.atrium.console.layout.TenantPage;
import dev.atrium.console.session.ConsoleSession;
import dev.atrium.console.ui.Formats;
import dev.atrium.console.ui.Problems;

/**
 * One deployment's rollout: start a canary, an A/B split or a shadow of another APPROVED version; watch both versions'
 * error rate, p95 latency and guardrail blocks side by side (refreshed every 5 s); promote or roll back; read every
 * decision the rollout controller or a person took, with its reason. Tenant admins act; members watch.
 */
@Route(value = "t/:tenantId/deployments/:name/rollout", layout = MainLayout.class)
public class RolloutView extends TenantPage {

    private String name;
    private final Div summary = new Div();
    private final HorizontalLayout actions = new HorizontalLayout();
    private final Grid<MetricsRow> metrics = new Grid<>();
    private final Grid<RolloutDecision> decisions = new Grid<>();
    private Registration polling;

    /** One version's figures over one span of the rollout. */
    record MetricsRow(String span, VersionMetrics metrics) {
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        name = event.getRouteParameters().get("name").orElse("");
        super.beforeEnter(event);
    }

    @Override
    protected boolean allowed(ConsoleSession session) {
        return session.member();
    }

    @Override
    protected String title() {
        return "Rollout of " + name;
    }

    @Override
    protected void render() {
        add(header("Rollout of " + name, "Move traffic to another approved version step by step; the platform rolls back by "
                + "itself when the candidate breaks its SLOs."));
        summary.setId("rollout-summary");
        actions.setId("rollout-actions");
        metrics.removeAllColumns();
        metrics.setId("rollout-metrics");
        metrics.addColumn(row -> row.metrics().role() + " " + row.metrics().version()).setHeader("Version").setAutoWidth(true);
        metrics.addColumn(MetricsRow::span).setHeader("Over").setAutoWidth(true);
        metrics.addColumn(row -> Formats.number(row.metrics().requests())).setHeader("Requests").setAutoWidth(true);
        metrics.addColumn(row -> percent(row.metrics().errorRate())).setHeader("Error rate").setAutoWidth(true);
        metrics.addColumn(row -> row.metrics().p95LatencyMs() == null ? "-" : row.metrics().p95LatencyMs() == Long.MAX_VALUE
                ? "> 120000 ms" : "≤ " + row.metrics().p95LatencyMs() + " ms").setHeader("p95 latency").setAutoWidth(true);
        metrics.addColumn(row -> percent(row.metrics().guardrailBlockRate())).setHeader("Guardrail blocks").setAutoWidth(true);
        metrics.setAllRowsVisible(true);
        decisions.removeAllColumns();
        decisions.setId("rollout-decisions");
        decisions.addColumn(d -> Formats.seconds(d.at())).setHeader("When").setAutoWidth(true);
        decisions.addColumn(RolloutDecision::action).setHeader("Decision").setAutoWidth(true);
        decisions.addColumn(d -> d.step() + 1).setHeader("Step").setAutoWidth(true);
        decisions.addColumn(RolloutDecision::actor).setHeader("By").setAutoWidth(true);
        decisions.addColumn(RolloutDecision::reason).setHeader("Why").setFlexGrow(3);
        decisions.addThemeVariants(com.vaadin.flow.component.grid.GridVariant.LUMO_WRAP_CELL_CONTENT);
        decisions.setAllRowsVisible(true);
        add(summary, actions, new H3("Versions side by side"), metrics, new H3("Decisions"), decisions);
        refresh();
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        super.onAttach(attach);
        attach.getUI().setPollInterval(5000);
        polling = attach.getUI().addPollListener(poll -> refresh());
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        if (polling != null) {
            polling.remove();
        }
        detach.getUI().setPollInterval(-1);
        super.onDetach(detach);
    }

    private String rolloutApi(String suffix) {
        return tenantApi("/deployments/" + ControlPlane.segment(name) + "/rollout" + suffix);
    }

    private void refresh() {
        if (tenant == null) {
            return;
        }
        Optional<RolloutStatus> status;
        try {
            status = Optional.of(api.get(rolloutApi(""), RolloutStatus.class));
        } catch (ApiProblem problem) {
            if (problem.status() != 404) {
                Problems.show(problem);
                return;
            }
            status = Optional.empty();
        }
        summary.removeAll();
        actions.removeAll();
        List<MetricsRow> rows = new ArrayList<>();
        if (status.isEmpty()) {
            summary.add(new Paragraph("No rollout yet: " + name + " serves one version to every request."));
        } else {
            RolloutStatus current = status.get();
            var rollout = current.rollout();
            var step = rollout.steps().get(rollout.step());
            String where = switch (rollout.strategy()) {
                case "canary" -> "step " + (rollout.step() + 1) + " of " + rollout.steps().size() + ": " + step.weight() + "% to version "
                        + rollout.candidateVersion();
                case "ab" -> step.weight() + "% of " + ("user".equals(rollout.stickyBy()) ? "end users" : "API keys") + " on version "
                        + rollout.candidateVersion();
                default -> step.weight() + "% of requests copied to version " + rollout.candidateVersion() + " (its answers are never returned)";
            };
            Paragraph line = new Paragraph(rollout.strategy() + " from version " + rollout.stableVersion() + " to "
                    + rollout.candidateVersion() + " · " + rollout.state() + (rollout.running() ? " · " + where : "")
                    + (rollout.reason() == null ? "" : " · " + rollout.reason()));
            line.setId("rollout-state");
            summary.add(line);
            if (rollout.running() && session.tenantAdmin()) {
                Button promote = new Button("Promote version " + rollout.candidateVersion(), click -> end(":promote", "promoted"));
                promote.setId("rollout-promote");
                promote.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
                Button rollback = new Button("Roll back to version " + rollout.stableVersion(), click -> end(":rollback", "rolled back"));
                rollback.setId("rollout-rollback");
                rollback.addThemeVariants(ButtonVariant.LUMO_ERROR);
                actions.add(promote, rollback);
            }
            current.window().forEach(m -> rows.add(new MetricsRow("last " + rollout.slo().windowSeconds() + " s", m)));
            current.currentStep().forEach(m -> rows.add(new MetricsRow("this step", m)));
            decisions.setItems(current.decisions());
        }
        if (session.tenantAdmin() && status.map(s -> !s.rollout().running()).orElse(true)) {
            Button start = new Button("Start a rollout", click -> openStart());
            start.setId("rollout-start");
            start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            actions.add(start);
        }
        metrics.setItems(rows);
    }

    private void end(String action, String done) {
        Problems.attempt(() -> api.post(rolloutApi(action), Map.of(), RolloutStatus.class)).ifPresent(status -> {
            Problems.success(name + " " + done);
            refresh();
        });
    }

    private void openStart() {
        Optional<Deployment> deployment = Problems.attempt(() -> api.get(tenantApi("/deployments/" + ControlPlane.segment(name)),
                Deployment.class));
        if (deployment.isEmpty()) {
            return;
        }
        List<String> versions = new ArrayList<>();
        Problems.attempt(() -> api.get(tenantApi("/models/" + ControlPlane.segment(deployment.get().model()) + "/versions"),
                new TypeReference<Page<ModelVersion>>() { })).ifPresent(page -> page.items().stream()
                .filter(v -> "APPROVED".equals(v.status()) && !v.version().equals(deployment.get().version()))
                .forEach(v -> versions.add(v.version())));
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Start a rollout of " + name);
        if (versions.isEmpty()) {
            dialog.add(new Paragraph(deployment.get().model() + " has no other APPROVED version than " + deployment.get().version()
                    + ": register one under Models and have a compliance officer approve its card first."));
            dialog.getFooter().add(new Button("Close", click -> dialog.close()));
            dialog.open();
            return;
        }
        Select<String> strategy = new Select<>();
        strategy.setId("rollout-strategy");
        strategy.setLabel("Strategy");
        strategy.setItems("canary", "ab", "shadow");
        strategy.setItemLabelGenerator(s -> switch (s) {
            case "canary" -> "Canary: rising share in steps";
            case "ab" -> "A/B: fixed split, sticky per user or key";
            default -> "Shadow: copies, answers never returned";
        });
        strategy.setValue("canary");
        Select<String> version = new Select<>();
        version.setId("rollout-version");
        version.setLabel("Candidate version");
        version.setItems(versions);
        version.setValue(versions.getFirst());
        TextField url = new TextField("Candidate's backend URL");
        url.setId("rollout-url");
        url.setValue(deployment.get().upstream() == null ? "" : deployment.get().upstream().url());
        url.setWidthFull();
        TextField upstreamModel = new TextField("Model at the backend (optional)");
        upstreamModel.setId("rollout-upstream-model");
        upstreamModel.setWidthFull();
        Select<String> secret = new Select<>();
        secret.setId("rollout-secret");
        secret.setLabel("Backend key (a secret of this tenant)");
        secret.setEmptySelectionAllowed(true);
        secret.setEmptySelectionCaption("No key");
        Problems.attempt(() -> api.get(tenantApi("/secrets"), new TypeReference<Page<Secret>>() { }))
                .ifPresent(secrets -> secret.setItems(secrets.items().stream().map(Secret::name).filter(n -> !n.startsWith("dedicated.")).toList()));
        TextField steps = new TextField("Canary steps (% to the candidate)");
        steps.setId("rollout-steps");
        steps.setValue("5, 25, 50, 100");
        NumberField dwell = new NumberField("Minutes per step");
        dwell.setId("rollout-dwell");
        dwell.setValue(5.0);
        NumberField split = new NumberField("Split or copy share (%)");
        split.setId("rollout-split");
        split.setValue(50.0);
        Select<String> sticky = new Select<>();
        sticky.setLabel("A/B sticky by");
        sticky.setItems("user", "key");
        sticky.setValue("user");
        NumberField maxErrorRate = new NumberField("Max error rate (%)");
        maxErrorRate.setId("rollout-max-error-rate");
        maxErrorRate.setValue(5.0);
        NumberField maxP95 = new NumberField("Max p95 latency (ms, optional)");
        maxP95.setId("rollout-max-p95");
        // a self-hosted deployment's candidate gets a model server of its own: no backend to name
        boolean selfHosted = deployment.get().selfHosted() != null;
        url.setVisible(!selfHosted);
        upstreamModel.setVisible(!selfHosted);
        secret.setVisible(!selfHosted);
        Runnable shape = () -> {
            steps.setVisible("canary".equals(strategy.getValue()));
            dwell.setVisible("canary".equals(strategy.getValue()));
            split.setVisible(!"canary".equals(strategy.getValue()));
            sticky.setVisible("ab".equals(strategy.getValue()));
        };
        strategy.addValueChangeListener(change -> shape.run());
        shape.run();
        dialog.add(new VerticalLayout(strategy, version, url, upstreamModel, secret, steps, dwell, split, sticky,
                new HorizontalLayout(maxErrorRate, maxP95)));
        Button save = new Button("Start", click -> {
            Map<String, Object> upstream = new LinkedHashMap<>();
            upstream.put("url", url.getValue().strip());
            if (!upstreamModel.getValue().isBlank()) {
                upstream.put("model", upstreamModel.getValue().strip());
            }
            if (secret.getValue() != null) {
                upstream.put("apiKeySecret", secret.getValue());
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("version", version.getValue());
            body.put("strategy", strategy.getValue());
            if (!selfHosted) {
                body.put("upstream", upstream);
            }
            if ("canary".equals(strategy.getValue())) {
                List<Map<String, Object>> planned = new ArrayList<>();
                int seconds = (int) Math.round((dwell.getValue() == null ? 0 : dwell.getValue()) * 60);
                for (String weight : steps.getValue().split("[,\\s]+")) {
                    if (!weight.isBlank()) {
                        planned.add(Map.of("weight", parse(weight), "dwellSeconds", seconds));
                    }
                }
                body.put("steps", planned);
            } else if (split.getValue() != null) {
                body.put("split", (int) Math.round(split.getValue()));
            }
            if ("ab".equals(strategy.getValue())) {
                body.put("stickyBy", sticky.getValue());
            }
            Map<String, Object> slo = new LinkedHashMap<>();
            if (maxErrorRate.getValue() != null) {
                slo.put("maxErrorRate", maxErrorRate.getValue() / 100);
            }
            if (maxP95.getValue() != null) {
                slo.put("maxP95LatencyMs", Math.round(maxP95.getValue()));
            }
            body.put("slo", slo);
            Problems.attempt(() -> api.post(rolloutApi(""), body, RolloutStatus.class)).ifPresent(started -> {
                dialog.close();
                Problems.success(started.rollout().strategy() + " to version " + started.rollout().candidateVersion() + " started");
                refresh();
            });
        });
        save.setId("rollout-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), save);
        dialog.setWidth("560px");
        dialog.open();
    }

    /** A step's weight as typed; what is not a number goes to the API as is, which names the problem. */
    private static Object parse(String weight) {
        try {
            return Integer.parseInt(weight.strip().replace("%", ""));
        } catch (NumberFormatException e) {
            return weight.strip();
        }
    }

    private static String percent(Double rate) {
        return rate == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * rate);
    }
}
