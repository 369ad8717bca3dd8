package dev.atrium.console.layout;

import java.util.List;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;

import dev.atrium.console.api.ApiProblem;
import dev.atrium.console.ui.Problems;

/** A page body: a header (title, one line of explanation, actions on the right) and the content below. */
public abstract class Page extends VerticalLayout {

    /** The page's main action, shown on the right of its header. */
    public static Button primaryAction(String label, String id, Runnable action) {
        Button button = new Button(label, VaadinIcon.PLUS.create(), click -> action.run());
        button.setId(id);
        button.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        return button;
    }

    /** Refuses the page: says why and goes to the home page instead. */
    protected static void refuse(BeforeEnterEvent event, ApiProblem problem) {
        Problems.show(problem);
        event.forwardTo(HomeView.class);
    }

    protected static ApiProblem noAccess(String detail) {
        return new ApiProblem(403, "No access", detail, List.of());
    }

    protected Page() {
        addClassName("page");
        setSizeFull();
    }

    protected HorizontalLayout header(String title, String description, Component... actions) {
        Div text = new Div(new H2(title));
        if (description != null) {
            text.add(new Paragraph(description));
        }
        HorizontalLayout header = new HorizontalLayout(text);
        header.addClassName("page-header");
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.END);
        if (actions.length > 0) {
            HorizontalLayout buttons = new HorizontalLayout(actions);
            header.addAndExpand(new Div());
            header.add(buttons);
        }
        return header;
    }
}
