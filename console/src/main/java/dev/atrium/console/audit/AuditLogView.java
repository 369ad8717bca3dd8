package dev.atrium.console.audit;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.core.type.TypeReference;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Route;

import dev.atrium.console.api.ApiProblem;
import dev.atrium.console.api.ControlPlane;
import dev.atrium.console.api.Views.AuditEvent;
import dev.atrium.console.api.Views.Page;
import dev.atrium.console.layout.MainLayout;
import dev.atrium.console.layout.TenantPage;
import dev.atrium.console.session.ConsoleSession;
import dev.atrium.console.ui.Badges;
import dev.atrium.console.ui.CursorPager;
import dev.atrium.console.ui.Formats;
import dev.atrium.console.ui.Problems;

/**
 * The tenant's audit trail, newest first, searchable by time, actor, action and outcome; every event opens with
 * its before/after diff and its place in the hash chain. Scrolling loads further pages from the API.
 */
@Route(value = "t/:tenantId/audit", layout = MainLayout.class)
public class AuditLogView extends TenantPage {

    private final Grid<AuditEvent> grid = new Grid<>();
    private final DateTimePicker from = new DateTimePicker("From (UTC)");
    private final DateTimePicker to = new DateTimePicker("To (UTC)");
    private final TextField actor = new TextField("Actor");
    private final TextField action = new TextField("Action");
    private final Select<String> outcome = new Select<>();

    @Override
    protected boolean allowed(ConsoleSession session) {
        return session.auditReader();
    }

    @Override
    protected String title() {
        return "Audit log";
    }

    @Override
    protected void render() {
        add(header("Audit log", "Every change to " + tenant.displayName() + ", by whom, from where; hash-chained and signed."));
        actor.setId("audit-actor");
        actor.setPlaceholder("user id or key id");
        action.setId("audit-action");
        action.setPlaceholder("e.g. apikey.create");
        outcome.setLabel("Outcome");
        outcome.setId("audit-outcome");
        outcome.setItems("", "SUCCESS", "FAILURE", "DENIED");
        outcome.setItemLabelGenerator(value -> value.isEmpty() ? "Any" : value);
        outcome.setValue("");
        for (TextField field : new TextField[] {actor, action}) {
            field.setValueChangeMode(ValueChangeMode.LAZY);
            field.setClearButtonVisible(true);
            field.addValueChangeListener(change -> reload());
        }
        from.addValueChangeListener(change -> reload());
        to.addValueChangeListener(change -> reload());
        outcome.addValueChangeListener(change -> reload());
        Button clear = new Button("Clear filters", VaadinIcon.CLOSE_SMALL.create(), click -> {
            from.clear();
            to.clear();
            actor.clear();
            action.clear();
            outcome.setValue("");
        });
        HorizontalLayout filters = new HorizontalLayout(from, to, actor, action, outcome, clear);
        filters.setAlignItems(FlexComponent.Alignment.BASELINE);
        filters.getStyle().set("flex-wrap", "wrap");
        add(filters);

        grid.removeAllColumns();
        grid.setId("audit-events");
        grid.addColumn(event -> event.sequence()).setHeader("#").setAutoWidth(true);
        grid.addColumn(event -> Formats.seconds(event.occurredAt())).setHeader("Time").setAutoWidth(true);
        grid.addColumn(event -> event.actor().id()).setHeader("Actor").setWidth("220px").setTooltipGenerator(event -> event.actor().id());
        grid.addColumn(AuditEvent::action).setHeader("Action").setAutoWidth(true);
        grid.addColumn(event -> resource(event)).setHeader("Resource").setFlexGrow(1).setResizable(true);
        grid.addComponentColumn(event -> Badges.status(event.outcome())).setHeader("Outcome").setAutoWidth(true);
        grid.addColumn(AuditEvent::sourceIp).setHeader("Source").setAutoWidth(true);
        grid.addItemClickListener(click -> details(click.getItem()));
        grid.setSizeFull();
        grid.setEmptyStateText("No audit events match these filters.");
        add(grid);
        reload();
    }

    private void reload() {
        CursorPager<AuditEvent> pager = new CursorPager<>((cursor, limit) -> {
            try {
                return api.get(ControlPlane.path("/api/v1/audit/events", "tenantId", tenant.id(), "from", utc(from.getValue()),
                        "to", utc(to.getValue()), "actor", actor.getValue(), "action", action.getValue(),
                        "outcome", outcome.getValue(), "limit", limit, "cursor", cursor), new TypeReference<Page<AuditEvent>>() { });
            } catch (ApiProblem problem) {
                Problems.show(problem);
                return new Page<>(java.util.List.of(), null);
            }
        });
        grid.setItems(pager::fetch);
    }

    private static String resource(AuditEvent event) {
        if (event.resource() == null || event.resource().type() == null) {
            return "—";
        }
        return event.resource().type() + (event.resource().id() == null ? "" : " " + event.resource().id());
    }

    private static String utc(LocalDateTime value) {
        return value == null ? null : value.toInstant(ZoneOffset.UTC).toString();
    }

    private void details(AuditEvent event) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(event.action() + " · #" + event.sequence());
        VerticalLayout body = new VerticalLayout();
        body.add(line("Time", Formats.seconds(event.occurredAt())), line("Actor", event.actor().id() + " (" + event.actor().type() + ")"),
                line("Resource", resource(event)),
                line("Outcome", event.outcome() + (event.detail() == null ? "" : ": " + event.detail())),
                line("Request", event.requestId() + " from " + event.sourceIp()), line("Event hash", event.hash()));
        if (event.changes() != null && !event.changes().isEmpty()) {
            StringBuilder diff = new StringBuilder();
            event.changes().forEach((field, change) -> diff.append(field).append(": ").append(change.from())
                    .append(" → ").append(change.to()).append('\n'));
            body.add(new Pre(diff.toString()));
        }
        dialog.add(body);
        dialog.getFooter().add(new Button("Close", click -> dialog.close()));
        dialog.setWidth("720px");
        dialog.open();
    }

    private static Div line(String label, String value) {
        Div caption = new Div(label);
        caption.addClassName("muted");
        caption.setWidth("120px");
        Div text = new Div(value == null ? "—" : value);
        text.addClassName("mono");
        Div line = new Div(caption, text);
        line.getStyle().set("display", "flex").set("gap", "var(--lumo-space-m)");
        return line;
    }
}
