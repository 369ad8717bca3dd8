package dev.atrium.console.platform;

import java.util.List;

import jakarta.inject.Inject;

import com.fasterxml.jackson.core.type.TypeReference;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import dev.atrium.console.api.ApiProblem;
import dev.atrium.console.api.ControlPlane;
import dev.atrium.console.api.Views.Region;
import dev.atrium.console.layout.MainLayout;
import dev.atrium.console.session.ConsoleSession;
import dev.atrium.console.ui.Problems;

/** Platform admins: where data planes run, with their health, zone, tenants and GPU capacity. */
@Route(value = "platform/regions", layout = MainLayout.class)
@PageTitle("Regions · Atrium")
public class RegionsView extends dev.atrium.console.layout.Page implements BeforeEnterObserver {

    @Inject
    ControlPlane api;

    private final Grid<Region> grid = new Grid<>();

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        try {
            if (!ConsoleSession.current(api).platformAdmin()) {
                refuse(event, noAccess("Only platform admins manage regions."));
                return;
            }
        } catch (ApiProblem problem) {
            refuse(event, problem);
            return;
        }
        removeAll();
        Button refresh = new Button("Refresh", VaadinIcon.REFRESH.create(), click -> reload());
        refresh.setId("refresh-regions");
        add(header("Regions", "Where data planes run. Tenants are placed in regions of their residency zone.", refresh));
        grid.removeAllColumns();
        grid.setId("regions");
        grid.addColumn(Region::name).setHeader("Region").setAutoWidth(true);
        grid.addColumn(Region::zone).setHeader("Zone").setAutoWidth(true);
        grid.addColumn(Region::kind).setHeader("Kind").setAutoWidth(true);
        grid.addComponentColumn(region -> {
            Span status = new Span(region.status());
            status.getElement().getThemeList().add("badge " + switch (region.status()) {
                case "HEALTHY" -> "success";
                case "UNHEALTHY" -> "error";
                default -> "contrast";
            });
            if (region.statusDetail() != null) {
                status.setTitle(region.statusDetail());
            }
            return status;
        }).setHeader("Health").setAutoWidth(true);
        grid.addColumn(region -> region.schedulable() ? "yes" : "cordoned").setHeader("New tenants").setAutoWidth(true);
        grid.addColumn(Region::placedTenants).setHeader("Tenants").setAutoWidth(true);
        grid.addColumn(Region::gpuCapacity).setHeader("GPU pools").setAutoWidth(true);
        grid.addColumn(Region::endpoint).setHeader("Endpoint").setFlexGrow(1);
        grid.setSizeFull();
        add(grid);
        reload();
    }

    private void reload() {
        Problems.attempt(() -> api.get("/api/v1/platform/regions", new TypeReference<List<Region>>() { }))
                .ifPresent(grid::setItems);
    }
}
