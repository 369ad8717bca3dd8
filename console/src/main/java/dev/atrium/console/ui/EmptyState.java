package dev.atrium.console.ui;

import java.util.List;
import java.util.function.Supplier;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;

/** What a page shows when there is nothing yet, with the next step to take. */
public class EmptyState extends Div {

    /** Shows {@code items} in the grid, or (none) hides the grid and shows the empty state in {@code slot}. */
    public static <T> void showIn(Div slot, Grid<T> grid, List<T> items, Supplier<EmptyState> whenEmpty) {
        grid.setItems(items);
        grid.setVisible(!items.isEmpty());
        slot.removeAll();
        if (items.isEmpty()) {
            slot.add(whenEmpty.get());
        }
    }

    public EmptyState(VaadinIcon icon, String title, String hint, Component... actions) {
        addClassName("empty-state");
        getStyle().set("display", "flex").set("flex-direction", "column").set("align-items", "center")
                .set("text-align", "center").set("padding", "var(--lumo-space-xl)")
                .set("border", "1px dashed var(--lumo-contrast-20pct)").set("border-radius", "var(--lumo-border-radius-l)")
                .set("color", "var(--lumo-secondary-text-color)").set("width", "100%").set("box-sizing", "border-box");
        var image = icon.create();
        image.setSize("48px");
        image.getStyle().set("color", "var(--lumo-contrast-30pct)");
        H3 heading = new H3(title);
        heading.getStyle().set("margin", "var(--lumo-space-s) 0 0");
        Paragraph text = new Paragraph(hint);
        add(image, heading, text);
        if (actions.length > 0) {
            add(new Div(actions));
        }
    }
}
