package dev.atrium.console.ui;

import java.util.Optional;
import java.util.function.Supplier;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;

import dev.atrium.console.api.ApiProblem;

/** Shows the control plane's problem+json answers to the user, verbatim, instead of failing silently. */
public final class Problems {

    private Problems() {
    }

    /** Runs a call; on an API error shows it and answers empty. */
    public static <T> Optional<T> attempt(Supplier<T> call) {
        try {
            return Optional.ofNullable(call.get());
        } catch (ApiProblem problem) {
            show(problem);
            return Optional.empty();
        }
    }

    /** Runs an action; true when it succeeded, otherwise the error is shown. */
    public static boolean attempt(Runnable action) {
        try {
            action.run();
            return true;
        } catch (ApiProblem problem) {
            show(problem);
            return false;
        }
    }

    public static void show(ApiProblem problem) {
        Notification notification = new Notification();
        notification.addThemeVariants(NotificationVariant.LUMO_ERROR);
        notification.setPosition(Notification.Position.TOP_CENTER);
        notification.setDuration(10_000);
        Div text = new Div();
        text.addClassName("problem");
        text.getStyle().set("white-space", "pre-line");
        text.setText(problem.userMessage());
        Button close = new Button(VaadinIcon.CLOSE_SMALL.create(), click -> notification.close());
        close.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE);
        close.setAriaLabel("Close");
        HorizontalLayout layout = new HorizontalLayout(VaadinIcon.WARNING.create(), text, close);
        layout.setAlignItems(HorizontalLayout.Alignment.CENTER);
        notification.add(layout);
        notification.open();
    }

    public static void success(String message) {
        Notification notification = Notification.show(message, 4000, Notification.Position.BOTTOM_END);
        notification.addThemeVariants(NotificationVariant.LUMO_SUCCESS);
    }

    /** An inline error block for a page whose data could not be loaded at all. */
    public static Div banner(ApiProblem problem) {
        Div banner = new Div(VaadinIcon.WARNING.create(), new Span(problem.userMessage()));
        banner.addClassName("problem-banner");
        banner.getStyle().set("display", "flex").set("gap", "var(--lumo-space-s)").set("align-items", "center")
                .set("padding", "var(--lumo-space-m)").set("border-radius", "var(--lumo-border-radius-m)")
                .set("background", "var(--lumo-error-color-10pct)").set("color", "var(--lumo-error-text-color)")
                .set("white-space", "pre-line");
        return banner;
    }
}
