package dev.atrium.console.member;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.router.Route;

import dev.atrium.console.api.Views.Invitation;
import dev.atrium.console.api.Views.Member;
import dev.atrium.console.api.Views.Page;
import dev.atrium.console.layout.MainLayout;
import dev.atrium.console.layout.TenantPage;
import dev.atrium.console.session.ConsoleSession;
import dev.atrium.console.ui.Badges;
import dev.atrium.console.ui.Confirm;
import dev.atrium.console.ui.EmptyState;
import dev.atrium.console.ui.Formats;
import dev.atrium.console.ui.Problems;
import dev.atrium.tenancy.Role;

/**
 * People in the tenant: invite by e-mail (the person accepts after signing in), pending invitations, change role,
 * remove.
 */
@Route(value = "t/:tenantId/members", layout = MainLayout.class)
public class MembersView extends TenantPage {

    private static final List<String> TENANT_ROLES = List.of(Role.TENANT_ADMIN.value(), Role.TENANT_MEMBER.value(),
            Role.COMPLIANCE_OFFICER.value());

    private final Grid<Member> grid = new Grid<>();
    private final Div empty = new Div();
    private final Grid<Invitation> invitations = new Grid<>();
    private final Div noInvitations = new Div();

    @Override
    protected boolean allowed(ConsoleSession session) {
        return session.tenantAdmin();
    }

    @Override
    protected String title() {
        return "Members";
    }

    @Override
    protected void render() {
        Button invite = primaryAction("Invite member", "invite-member", this::openInvite);
        add(header("Members", "People who sign in to " + tenant.displayName() + ". An invited person joins when they "
                + "accept the invitation, signed in with the invited e-mail address.", invite));
        grid.removeAllColumns();
        grid.setId("members");
        grid.addColumn(Member::displayName).setHeader("Name").setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(Member::email).setHeader("E-mail").setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(Member::role).setHeader("Role").setAutoWidth(true);
        grid.addColumn(member -> Formats.dateTime(member.joinedAt())).setHeader("Joined").setAutoWidth(true);
        grid.addComponentColumn(this::actions).setHeader("Actions").setWidth("300px").setFlexGrow(0);
        grid.setHeight("320px");
        invitations.removeAllColumns();
        invitations.setId("invitations");
        invitations.addColumn(Invitation::email).setHeader("Invited").setAutoWidth(true).setFlexGrow(1);
        invitations.addColumn(Invitation::role).setHeader("Role").setAutoWidth(true);
        invitations.addComponentColumn(invitation -> Badges.status(invitation.status())).setHeader("Status").setAutoWidth(true);
        invitations.addColumn(invitation -> Formats.dateTime(invitation.expiresAt())).setHeader("Expires").setAutoWidth(true);
        invitations.addComponentColumn(this::invitationActions).setHeader("Actions").setWidth("160px").setFlexGrow(0);
        invitations.setHeight("240px");
        add(empty, grid, section("Invitations"), noInvitations, invitations);
        refresh();
    }

    private Component invitationActions(Invitation invitation) {
        if (!"PENDING".equals(invitation.status())) {
            return new Div();
        }
        Button revoke = new Button("Revoke", click -> {
            if (Problems.attempt(() -> api.delete(tenantApi("/invitations/" + invitation.id())))) {
                Problems.success("Invitation of " + invitation.email() + " revoked");
                refresh();
            }
        });
        revoke.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
        return revoke;
    }

    private static com.vaadin.flow.component.html.H3 section(String title) {
        return new com.vaadin.flow.component.html.H3(title);
    }

    private Component actions(Member member) {
        Button role = new Button("Change role", click -> openChangeRole(member));
        role.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        Button remove = new Button("Remove", click -> confirmRemove(member));
        remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
        return new HorizontalLayout(role, remove);
    }

    private void refresh() {
        Problems.attempt(() -> api.get(tenantApi("/members"), new TypeReference<Page<Member>>() { })).ifPresent(page ->
                EmptyState.showIn(empty, grid, page.items(), () -> new EmptyState(VaadinIcon.USERS, "No members yet",
                        "Invite the people who manage this tenant.")));
        Problems.attempt(() -> api.get(tenantApi("/invitations"), new TypeReference<Page<Invitation>>() { })).ifPresent(page ->
                EmptyState.showIn(noInvitations, invitations, page.items(), () -> new EmptyState(VaadinIcon.ENVELOPE,
                        "No invitations", "Invitations you send appear here until they are accepted.")));
    }

    private void openInvite() {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Invite a member");
        EmailField email = new EmailField("E-mail");
        email.setId("invite-email");
        email.setWidthFull();
        email.setRequiredIndicatorVisible(true);
        Select<String> role = roleSelect(Role.TENANT_MEMBER.value());
        dialog.add(new VerticalLayout(email, role));
        Button send = new Button("Invite", click -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("email", email.getValue());
            body.put("role", role.getValue());
            Problems.attempt(() -> api.post(tenantApi("/invitations"), body, Invitation.class)).ifPresent(invitation -> {
                dialog.close();
                Problems.success(invitation.email() + " invited as " + invitation.role()
                        + "; they join when they accept it after signing in");
                refresh();
            });
        });
        send.setId("invite-send");
        send.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), send);
        dialog.open();
    }

    private void openChangeRole(Member member) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Role of " + member.displayName());
        Select<String> role = roleSelect(member.role());
        dialog.add(role);
        Button save = new Button("Save", click -> Problems.attempt(() ->
                api.patch(tenantApi("/members/" + member.userId()), Map.of("role", role.getValue()), Member.class))
                .ifPresent(changed -> {
                    dialog.close();
                    Problems.success(member.displayName() + " is now " + changed.role());
                    refresh();
                }));
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), save);
        dialog.open();
    }

    private void confirmRemove(Member member) {
        Confirm.destructive("Remove " + member.displayName() + "?",
                "They lose access to " + tenant.displayName() + " at their next request. Their account stays.",
                "Remove", () -> {
                    if (Problems.attempt(() -> api.delete(tenantApi("/members/" + member.userId())))) {
                        Problems.success(member.displayName() + " removed");
                        refresh();
                    }
                });
    }

    private static Select<String> roleSelect(String value) {
        Select<String> role = new Select<>();
        role.setLabel("Role");
        role.setItems(TENANT_ROLES);
        role.setValue(value);
        role.setWidthFull();
        return role;
    }
}
