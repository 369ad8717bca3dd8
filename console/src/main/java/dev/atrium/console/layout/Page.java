package dev.atrium.console.layout;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;

/** A page body: a header (title, one line of explanation, actions on the right) and the content below. */
public abstract class Page extends VerticalLayout {

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
