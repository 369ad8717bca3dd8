package dev.atrium.console.overview;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.Route;

import dev.atrium.console.api.ControlPlane;
import dev.atrium.console.api.Views.PlacedRegion;
import dev.atrium.console.api.Views.Placement;
import dev.atrium.console.api.Views.Tenant;
import dev.atrium.console.api.Views.UsageReport;
import dev.atrium.console.api.Views.UsageTotals;
import dev.atrium.console.layout.MainLayout;
import dev.atrium.console.layout.TenantPage;
import dev.atrium.console.session.ConsoleSession;
import dev.atrium.console.ui.Badges;
import dev.atrium.console.ui.EmptyState;
import dev.atrium.console.ui.Formats;
import dev.atrium.console.ui.Problems;
import dev.atrium.console.ui.SvgBarChart;

/** The tenant at a glance: plan and status, and metered usage (requests, tokens, GPU time) per day, model and key. */
@Route(value = "t/:tenantId/overview", layout = MainLayout.class)
public class OverviewView extends TenantPage {

    private final Div usage = new Div();
    private final Select<Integer> range = new Select<>();

    @Override
    protected boolean allowed(ConsoleSession session) {
        return true;
    }

    @Override
    protected String title() {
        return "Overview";
    }

    @Override
    protected void render() {
        range.setItems(7, 30, 90);
        range.setItemLabelGenerator(days -> "Last " + days + " days");
        range.setValue(30);
        range.setId("usage-range");
        range.addValueChangeListener(event -> loadUsage());
        add(header(tenant.displayName(), "Usage metered by the data planes, in UTC days.", range));
        Problems.attempt(() -> api.get(tenantApi(""), Tenant.class)).ifPresent(this::summary);
        usage.setWidthFull();
        add(usage);
        loadUsage();
    }

    private void summary(Tenant details) {
        java.util.Optional<Placement> placement = Problems.attempt(() -> api.get(tenantApi("/placement"), Placement.class));
        Span served = new Span(placement.map(placed -> placed.primary().name() + (placed.standbys().isEmpty() ? ""
                        : " (standby " + String.join(", ", placed.standbys().stream().map(PlacedRegion::name).toList()) + ")"))
                .orElse("not placed"));
        served.setId("tenant-placement");
        // where applications send requests: the region's shared data plane, or the tenant's own where it is dedicated
        Span endpoint = new Span(placement.map(placed -> placed.primary().endpoint()).orElse("-"));
        endpoint.setId("tenant-endpoint");
        HorizontalLayout facts = new HorizontalLayout(fact("Status", Badges.status(details.status())),
                fact("Plan", new Span(details.plan())), fact("Residency", new Span(details.residency())),
                fact("Data lives in", served), fact("Data-plane endpoint", endpoint),
                fact("Slug", new Span(details.slug())), fact("Created", new Span(Formats.dateTime(details.createdAt()))));
        facts.addClassName("card");
        facts.setSpacing(true);
        add(facts);
    }

    private static Div fact(String label, com.vaadin.flow.component.Component value) {
        Span caption = new Span(label);
        caption.addClassName("muted");
        Div fact = new Div(caption, new Div(value));
        fact.getStyle().set("margin-right", "var(--lumo-space-xl)");
        return fact;
    }

    private void loadUsage() {
        usage.removeAll();
        int days = range.getValue();
        Instant to = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant from = to.minus(days, ChronoUnit.DAYS);
        Problems.attempt(() -> api.get(ControlPlane.path(tenantApi("/usage"), "from", from, "to", to), UsageReport.class))
                .ifPresent(report -> showUsage(report, from, days));
    }

    private void showUsage(UsageReport report, Instant from, int days) {
        UsageTotals totals = report.totals();
        FlexLayout cards = new FlexLayout(stat("Requests", Formats.number(totals.requests())),
                stat("Tokens", Formats.number(totals.tokens())),
                stat("Chunks stored", Formats.number(totals.chunksStored())),
                stat("GPU seconds", String.format(java.util.Locale.ROOT, "%,.1f", totals.gpuSeconds())));
        cards.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        cards.getStyle().set("gap", "var(--lumo-space-m)");
        cards.setWidthFull();
        cards.getStyle().set("margin-bottom", "var(--lumo-space-m)");
        usage.add(cards);
        if (totals.requests() == 0 && totals.tokens() == 0 && totals.chunksStored() == 0) {
            usage.add(new EmptyState(VaadinIcon.CHART, "No usage in this period",
                    "Usage appears here once applications call the data plane with this tenant's API keys."));
            return;
        }
        Map<String, UsageTotals> byDay = report.byDay().stream().collect(Collectors.toMap(UsageTotals::key, Function.identity()));
        List<SvgBarChart.Bar> bars = new ArrayList<>();
        LocalDate first = from.atZone(ZoneOffset.UTC).toLocalDate();
        for (int i = 0; i < days; i++) {
            LocalDate day = first.plusDays(i);
            UsageTotals totalsOfDay = byDay.get(day.toString());
            bars.add(new SvgBarChart.Bar(day.toString().substring(5), totalsOfDay == null ? 0 : totalsOfDay.tokens()));
        }
        Div chart = new Div(new H3("Tokens per day"), new Html("<div class='chart-body'>" + SvgBarChart.render(bars, "tokens") + "</div>"));
        chart.addClassNames("card", "chart");
        chart.setId("usage-chart");
        usage.add(chart);
        HorizontalLayout tables = new HorizontalLayout(table("By model", "Model", report.byModel()),
                table("By API key", "Key", report.byKey()));
        tables.setWidthFull();
        usage.add(tables);
    }

    private static Div table(String title, String keyHeader, List<UsageTotals> rows) {
        Grid<UsageTotals> grid = new Grid<>();
        grid.addColumn(UsageTotals::key).setHeader(keyHeader).setFlexGrow(1);
        grid.addColumn(row -> Formats.number(row.requests())).setHeader("Requests").setAutoWidth(true);
        grid.addColumn(row -> Formats.number(row.tokens())).setHeader("Tokens").setAutoWidth(true);
        grid.setItems(rows);
        grid.setAllRowsVisible(true);
        Div card = new Div(new H3(title), grid);
        card.addClassName("card");
        return card;
    }

    private static Div stat(String label, String value) {
        Div card = new Div();
        card.addClassName("stat-card");
        Div caption = new Div(label);
        caption.addClassName("stat-label");
        Div number = new Div(value);
        number.addClassName("stat-value");
        card.add(caption, number);
        return card;
    }
}
