package dev.atrium.console.platform;

import java.util.List;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import com.fasterxml.jackson.core.type.TypeReference;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import dev.atrium.console.api.ApiProblem;
import dev.atrium.console.api.ControlPlane;
import dev.atrium.console.api.Views.PoolUsage;
import dev.atrium.console.api.Views.Page;
import dev.atrium.console.layout.MainLayout;
import dev.atrium.console.session.ConsoleSession;
import dev.atrium.console.ui.EmptyState;
import dev.atrium.console.ui.Problems;

/** Platform admins: every region's GPU pools, their capacity, and the tenants' model servers on them. */
@Route(value = "platform/gpu-pools", layout = MainLayout.class)
@PageTitle("GPU pools · Atrium")
public class GpuPoolsView extends dev.atrium.console.layout.Page implements BeforeEnterObserver {

    @Inject
    ControlPlane api;

    private final Grid<PoolUsage> grid = new Grid<>();
    private final Div empty = new Div();

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        try {
            if (!ConsoleSession.current(api).platformAdmin()) {
                refuse(event, noAccess("Only platform admins see the GPU pools."));
                return;
            }
        } catch (ApiProblem problem) {
            refuse(event, problem);
            return;
        }
        removeAll();
        Button refresh = new Button("Refresh", VaadinIcon.REFRESH.create(), click -> reload());
        refresh.setId("refresh-gpu-pools");
        add(header("GPU pools", "Each Kubernetes region's GPU pools, what they hold now and at most, and the model servers on them.",
                refresh));
        grid.removeAllColumns();
        grid.setId("gpu-pools");
        grid.addColumn(PoolUsage::region).setHeader("Region").setAutoWidth(true);
        grid.addColumn(PoolUsage::name).setHeader("Pool").setAutoWidth(true);
        grid.addColumn(pool -> pool.gpuType() + (pool.sharesPerGpu() > 1 ? " (shared " + pool.sharesPerGpu() + " ways)" : ""))
                .setHeader("GPU").setAutoWidth(true);
        grid.addColumn(pool -> pool.allocatedGpus().toPlainString() + " of " + pool.capacityGpus())
                .setHeader("GPUs held").setAutoWidth(true);
        grid.addColumn(pool -> pool.maxGpus().toPlainString()).setHeader("At most").setAutoWidth(true);
        grid.addColumn(pool -> pool.servers().isEmpty() ? "nothing" : pool.servers().stream()
                        .map(s -> (s.tenantSlug() == null ? "platform" : s.tenantSlug()) + "/" + s.deployment() + ": " + s.state() + " " + s.readyReplicas() + "/" + s.desiredReplicas()
                                + " × " + s.gpusPerReplica().toPlainString() + " GPU")
                        .collect(Collectors.joining("; ")))
                .setHeader("Model servers").setFlexGrow(1);
        grid.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT);
        grid.setSizeFull();
        add(empty, grid);
        reload();
    }

    private void reload() {
        Problems.attempt(() -> api.get("/api/v1/platform/gpu-pools", new TypeReference<Page<PoolUsage>>() { })).ifPresent(page -> {
            List<PoolUsage> pools = page.items();
            EmptyState.showIn(empty, grid, pools, () -> new EmptyState(VaadinIcon.SERVER, "No GPU pools",
                    "Add GPU pools to a Kubernetes region (PATCH /api/v1/platform/regions/{name}) to run self-hosted models."));
        });
    }
}
