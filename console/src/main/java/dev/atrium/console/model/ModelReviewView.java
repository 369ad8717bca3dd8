package dev.atrium.console.model;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.router.Route;

import dev.atrium.console.api.ControlPlane;
import dev.atrium.console.api.Views.Model;
import dev.atrium.console.api.Views.ModelVersion;
import dev.atrium.console.api.Views.Page;
import dev.atrium.console.layout.MainLayout;
import dev.atrium.console.layout.TenantPage;
import dev.atrium.console.session.ConsoleSession;
import dev.atrium.console.ui.EmptyState;
import dev.atrium.console.ui.Formats;
import dev.atrium.console.ui.Problems;

/**
 * The compliance officer's queue: the tenant's model versions waiting for review, each with its model card
 * (rendered as the Markdown the registry exports), approved or rejected with a required comment.
 */
@Route(value = "t/:tenantId/compliance/reviews", layout = MainLayout.class)
public class ModelReviewView extends TenantPage {

    private final Grid<ModelVersion> queue = new Grid<>();
    private final Div review = new Div();

    @Override
    protected boolean allowed(ConsoleSession session) {
        return session.modelReviewer();
    }

    @Override
    protected String title() {
        return "Model reviews";
    }

    @Override
    protected void render() {
        add(header("Model reviews", "Only approved versions are served. Your comment is kept with the version and in the audit trail."));
        queue.removeAllColumns();
        queue.setId("review-queue");
        queue.addColumn(ModelVersion::model).setHeader("Model").setAutoWidth(true).setFlexGrow(1);
        queue.addColumn(ModelVersion::version).setHeader("Version").setAutoWidth(true);
        queue.addColumn(ModelVersion::createdBy).setHeader("Author").setAutoWidth(true);
        queue.addColumn(version -> Formats.dateTime(version.updatedAt())).setHeader("Submitted").setAutoWidth(true);
        queue.setAllRowsVisible(true);
        queue.asSingleSelect().addValueChangeListener(event -> show(event.getValue()));
        review.setWidthFull();
        add(queue, review);
        refresh();
    }

    private void refresh() {
        review.removeAll();
        Problems.attempt(() -> api.get(tenantApi("/models"), new TypeReference<Page<Model>>() { })).ifPresent(models -> {
            List<ModelVersion> waiting = new ArrayList<>();
            for (Model model : models.items()) {
                if (model.platformWide()) {
                    continue;
                }
                Problems.attempt(() -> api.get(tenantApi("/models/" + ControlPlane.segment(model.name()) + "/versions"),
                        new TypeReference<Page<ModelVersion>>() { })).ifPresent(versions -> versions.items().stream()
                        .filter(version -> "IN_REVIEW".equals(version.status())).forEach(waiting::add));
            }
            queue.setItems(waiting);
            queue.setVisible(!waiting.isEmpty());
            if (waiting.isEmpty()) {
                review.add(new EmptyState(VaadinIcon.CHECK_SQUARE_O, "Nothing to review",
                        "Versions appear here when a tenant admin submits them for review."));
            }
        });
    }

    private void show(ModelVersion version) {
        review.removeAll();
        if (version == null) {
            return;
        }
        String base = tenantApi("/models/" + ControlPlane.segment(version.model()) + "/versions/" + ControlPlane.segment(version.version()));
        Div panel = new Div(new H3(version.model() + " " + version.version()), new ReviewForm(api, base, decided -> refresh()));
        panel.addClassName("card");
        review.add(panel);
    }
}
