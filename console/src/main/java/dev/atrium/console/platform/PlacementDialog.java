package dev.atrium.console.platform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;

import dev.atrium.console.api.ControlPlane;
import dev.atrium.console.api.Views.PlacedRegion;
import dev.atrium.console.api.Views.Placement;
import dev.atrium.console.api.Views.Region;
import dev.atrium.console.api.Views.Tenant;
import dev.atrium.console.ui.Badges;
import dev.atrium.console.ui.Problems;

/**
 * A tenant's placement for platform admins: zone, isolation tier, primary region and standbys with their health and,
 * for a dedicated tenant, its namespace's provisioning condition; and a move to another region of the same zone.
 */
final class PlacementDialog {

    private PlacementDialog() {
    }

    static void open(ControlPlane api, Tenant tenant) {
        String path = "/api/v1/tenants/" + tenant.id() + "/placement";
        Problems.attempt(() -> api.get(path, Placement.class)).ifPresent(placement -> {
            Dialog dialog = new Dialog();
            dialog.setHeaderTitle("Placement of " + tenant.displayName());
            VerticalLayout body = new VerticalLayout();
            body.setPadding(false);
            Span tier = new Span(placement.tier());
            tier.setId("placement-tier");
            body.add(fact("Zone", new Span(placement.zone())), fact("Isolation tier", tier),
                    fact("Primary region", region(placement.primary(), "placement-primary")));
            for (PlacedRegion standby : placement.standbys()) {
                body.add(fact("Standby", region(standby, "placement-standby-" + standby.name())));
            }

            List<String> candidates = new ArrayList<>();
            Problems.attempt(() -> api.get("/api/v1/platform/regions", new TypeReference<List<Region>>() { }))
                    .ifPresent(regions -> regions.stream().filter(region -> region.zone().equals(placement.zone()))
                            .map(Region::name).forEach(candidates::add));
            Select<String> primary = new Select<>();
            primary.setId("placement-move-to");
            primary.setLabel("Move to (same zone)");
            primary.setItems(candidates);
            primary.setValue(placement.primary().name());
            body.add(primary, new Paragraph("A move changes where the tenant is served; data already in the region it "
                    + "leaves stays there until the tenant is deleted."));
            Button move = new Button("Move", click -> {
                Map<String, Object> request = new LinkedHashMap<>();
                request.put("primary", primary.getValue());
                request.put("standbys", placement.standbys().stream().map(PlacedRegion::name)
                        .filter(name -> !name.equals(primary.getValue())).toList());
                Problems.attempt(() -> api.put(path, request, Placement.class)).ifPresent(moved -> {
                    dialog.close();
                    Problems.success(tenant.displayName() + " is served from " + moved.primary().name());
                });
            });
            move.setId("placement-move");
            move.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            dialog.add(body);
            dialog.getFooter().add(new Button("Close", click -> dialog.close()), move);
            dialog.setWidth("560px");
            dialog.open();
        });
    }

    private static Div fact(String label, com.vaadin.flow.component.Component value) {
        Div row = new Div(new Span(label + ": "), value);
        row.addClassName("fact");
        return row;
    }

    private static Div region(PlacedRegion region, String id) {
        Div described = new Div();
        described.setId(id);
        described.add(new Span(region.name() + " (" + region.kind() + ", " + region.tier() + ") "), Badges.status(region.status()));
        if (region.provisioning() != null) {
            Span condition = Badges.status(region.provisioning().condition().toUpperCase(java.util.Locale.ROOT));
            described.add(new Span(" namespace " + region.provisioning().namespace() + " "), condition);
            if (region.provisioning().reason() != null) {
                described.add(new Span(" " + region.provisioning().reason()
                        + (region.provisioning().message() == null ? "" : ": " + region.provisioning().message())));
            }
        }
        return described;
    }
}
