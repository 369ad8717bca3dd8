package dev.atrium.console.model;

import java.util.Map;
import java.util.function.Consumer;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.markdown.Markdown;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;

import dev.atrium.console.api.ControlPlane;
import dev.atrium.console.api.Views.ModelVersion;
import dev.atrium.console.ui.Problems;

/**
 * A model-card review: the card as the registry renders it, a required comment, approve or reject. Used by the
 * compliance officers' queue (tenant models) and the platform admins' registry (platform-wide models).
 */
class ReviewForm extends VerticalLayout {

    /**
     * @param version the version's API path ({@code .../models/<name>/versions/<v>})
     * @param decided called with the reviewed version once the control plane accepted the decision
     */
    ReviewForm(ControlPlane api, String version, Consumer<ModelVersion> decided) {
        setPadding(false);
        Markdown card = new Markdown(Problems.attempt(() -> api.text(version + "/card")).orElse(""));
        card.setId("card-markdown");
        card.getStyle().set("display", "block").set("max-height", "480px").set("overflow", "auto")
                .set("padding", "0 var(--lumo-space-m)").set("border", "1px solid var(--lumo-contrast-10pct)")
                .set("border-radius", "var(--lumo-border-radius-m)");
        card.setWidthFull();
        TextArea comment = new TextArea("Review comment (required)");
        comment.setId("review-comment");
        comment.setRequired(true);
        comment.setWidthFull();
        Button approve = new Button("Approve", VaadinIcon.CHECK.create(), click -> decide(api, version, "approve", comment.getValue(), decided));
        approve.setId("approve");
        approve.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SUCCESS);
        Button reject = new Button("Reject", VaadinIcon.CLOSE.create(), click -> decide(api, version, "reject", comment.getValue(), decided));
        reject.setId("reject");
        reject.addThemeVariants(ButtonVariant.LUMO_ERROR);
        add(card, comment, new HorizontalLayout(approve, reject));
    }

    private static void decide(ControlPlane api, String version, String decision, String comment,
                               Consumer<ModelVersion> decided) {
        Problems.attempt(() -> api.post(version + ":" + decision, Map.of("comment", comment), ModelVersion.class)).ifPresent(done -> {
            Problems.success(done.model() + " " + done.version() + " " + done.status().toLowerCase());
            decided.accept(done);
        });
    }
}
