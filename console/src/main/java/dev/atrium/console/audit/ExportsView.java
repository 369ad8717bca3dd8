package dev.atrium.console.audit;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.server.streams.DownloadResponse;
import com.vaadin.flow.shared.Registration;

import dev.atrium.console.api.ApiProblem;
import dev.atrium.console.api.ControlPlane;
import dev.atrium.console.api.Views.Export;
import dev.atrium.console.api.Views.Page;
import dev.atrium.console.layout.MainLayout;
import dev.atrium.console.layout.TenantPage;
import dev.atrium.console.session.ConsoleSession;
import dev.atrium.console.ui.Badges;
import dev.atrium.console.ui.Formats;
import dev.atrium.console.ui.Problems;

/**
 * Audit report exports: start one (JSON Lines verifies offline with atrium-audit-verify.jar, CSV for spreadsheets,
 * PDF for people), watch its progress, download it. While an export runs the page polls the API every second.
 */
@Route(value = "t/:tenantId/compliance/exports", layout = MainLayout.class)
public class ExportsView extends TenantPage {

    private final Grid<Export> grid = new Grid<>();
    private Registration pollRegistration;

    @Override
    protected boolean allowed(ConsoleSession session) {
        return session.auditor();
    }

    @Override
    protected String title() {
        return "Audit exports";
    }

    @Override
    protected void render() {
        add(header("Audit exports", "A report an auditor can verify without access to Atrium: events, signed digests, the signature."));
        DatePicker from = new DatePicker("From (UTC, optional)");
        from.setId("export-from");
        DatePicker to = new DatePicker("To (UTC, optional)");
        to.setId("export-to");
        RadioButtonGroup<String> format = new RadioButtonGroup<>("Format");
        format.setId("export-format");
        format.setItems("jsonl", "csv", "pdf");
        format.setItemLabelGenerator(value -> switch (value) {
            case "jsonl" -> "JSON Lines (verifiable)";
            case "csv" -> "CSV";
            default -> "PDF report";
        });
        format.setValue("jsonl");
        TextField actor = new TextField("Actor (optional)");
        actor.setId("export-actor");
        actor.setPlaceholder("user:… or apikey:…");
        TextField action = new TextField("Action (optional)");
        action.setId("export-action");
        action.setPlaceholder("apikey.* or tenant.update");
        Select<String> outcome = new Select<>();
        outcome.setLabel("Outcome");
        outcome.setItems("", "SUCCESS", "FAILURE", "DENIED");
        outcome.setItemLabelGenerator(value -> value.isEmpty() ? "Any" : value);
        outcome.setValue("");
        TextField resource = new TextField("Resource (optional)");
        resource.setPlaceholder("api-key or api-key:<id>");
        Button start = new Button("Start export", VaadinIcon.PLAY.create(), click -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("tenantId", tenant.id().toString());
            body.put("format", format.getValue());
            if (from.getValue() != null) {
                body.put("from", from.getValue().atStartOfDay(ZoneOffset.UTC).toInstant().toString());
            }
            if (to.getValue() != null) {
                body.put("to", to.getValue().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
            }
            Map<String, String> filters = new LinkedHashMap<>();
            putIfPresent(filters, "actor", actor.getValue());
            putIfPresent(filters, "action", action.getValue());
            putIfPresent(filters, "outcome", outcome.getValue());
            putIfPresent(filters, "resource", resource.getValue());
            if (!filters.isEmpty()) {
                body.put("filters", filters);
            }
            Problems.attempt(() -> api.post("/api/v1/audit/exports", body, Export.class)).ifPresent(export -> {
                Problems.success("Export started");
                refresh();
            });
        });
        start.setId("start-export");
        start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        to.setMax(LocalDate.now(ZoneOffset.UTC));
        HorizontalLayout range = new HorizontalLayout(from, to, format);
        range.setAlignItems(FlexComponent.Alignment.BASELINE);
        HorizontalLayout selection = new HorizontalLayout(actor, action, outcome, resource, start);
        selection.setAlignItems(FlexComponent.Alignment.BASELINE);
        Span hint = new Span("With filters the export is partial: every event in it verifies, and the selection is signed, "
                + "but it cannot prove the chain between the events. Leave them empty for a complete, provable export.");
        hint.addClassName("muted");
        VerticalLayout form = new VerticalLayout(range, selection, hint);
        form.setPadding(false);
        form.addClassName("card");
        add(form);

        grid.removeAllColumns();
        grid.setId("exports");
        grid.addColumn(export -> Formats.seconds(export.createdAt())).setHeader("Requested").setWidth("190px").setFlexGrow(0);
        grid.addColumn(Export::requestedBy).setHeader("By").setWidth("130px").setFlexGrow(0).setTooltipGenerator(Export::requestedBy);
        grid.addColumn(export -> export.format().toUpperCase()).setHeader("Format").setWidth("80px").setFlexGrow(0);
        grid.addColumn(export -> (export.from() == null ? "beginning" : Formats.dateTime(export.from())) + " → "
                + (export.to() == null ? "now" : Formats.dateTime(export.to()))).setHeader("Range").setWidth("170px").setFlexGrow(0);
        grid.addColumn(export -> export.filters() == null || export.filters().isEmpty() ? "complete"
                : "partial: " + export.filters()).setHeader("Selection").setFlexGrow(1)
                .setTooltipGenerator(export -> export.filters() == null ? "the whole range" : export.filters().toString());
        grid.addComponentColumn(this::progress).setHeader("Progress").setWidth("210px").setFlexGrow(0);
        grid.addComponentColumn(export -> Badges.status(export.status())).setHeader("Status").setWidth("100px").setFlexGrow(0);
        grid.addComponentColumn(this::download).setHeader("File").setWidth("120px").setFlexGrow(0);
        grid.setEmptyStateText("No exports yet.");
        grid.setSizeFull();
        add(grid);
        refresh();
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        pollRegistration = attach.getUI().addPollListener(poll -> {
            if (grid.getListDataView().getItems().anyMatch(export -> !export.finished())) {
                refresh();
            }
        });
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        if (pollRegistration != null) {
            pollRegistration.remove();
        }
        detach.getUI().setPollInterval(-1);
    }

    private void refresh() {
        Problems.attempt(() -> api.get(ControlPlane.path("/api/v1/audit/exports", "tenantId", tenant.id(), "limit", 50),
                new TypeReference<Page<Export>>() { })).ifPresent(page -> {
                    grid.setItems(page.items());
                    boolean running = page.items().stream().anyMatch(export -> !export.finished());
                    getUI().ifPresent(ui -> ui.setPollInterval(running ? 1000 : -1));
                });
    }

    private static void putIfPresent(Map<String, String> map, String name, String value) {
        if (value != null && !value.isBlank()) {
            map.put(name, value.strip());
        }
    }

    private Component progress(Export export) {
        if ("FAILED".equals(export.status())) {
            Span error = new Span(export.error() == null ? "failed" : export.error());
            error.getStyle().set("color", "var(--lumo-error-text-color)");
            return error;
        }
        ProgressBar bar = new ProgressBar(0, 100, export.progress());
        bar.setWidth("90px");
        Span count = new Span(export.finished()
                ? Formats.number(export.eventsWritten()) + (export.eventsWritten() == 1 ? " event" : " events")
                : Formats.number(export.eventsScanned()) + (export.eventsTotal() == null ? "" : " / " + Formats.number(export.eventsTotal())));
        count.addClassName("muted");
        HorizontalLayout layout = new HorizontalLayout(bar, count);
        layout.setAlignItems(FlexComponent.Alignment.CENTER);
        return layout;
    }

    private Component download(Export export) {
        if (!"DONE".equals(export.status())) {
            return new Span();
        }
        String fileName = "atrium-audit-" + tenant.slug() + "-" + export.id() + "." + export.format();
        Anchor anchor = new Anchor(DownloadHandler.fromInputStream(event -> {
            try {
                ControlPlane.Download download = api.download("/api/v1/audit/exports/" + export.id() + "/content");
                return new DownloadResponse(download.body(), fileName, download.contentType(), download.length());
            } catch (ApiProblem problem) {
                return DownloadResponse.error(problem.status(), problem.userMessage());
            }
        }), "Download");
        anchor.getElement().setAttribute("download", true);
        anchor.addClassName("download-export");
        anchor.getElement().setAttribute("data-format", export.format());
        return anchor;
    }
}
