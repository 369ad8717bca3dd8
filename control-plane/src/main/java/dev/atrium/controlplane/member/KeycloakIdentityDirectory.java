package dev.atrium.controlplane.member;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.keycloak.admin.client.resource.GroupResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.OrganizationRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.tenancy.Role;

/**
 * Keycloak through its admin client, as the control plane's service account (client credentials of
 * {@code atrium-control-plane}). A tenant is an organisation (alias = slug) plus the groups
 * {@code /tenants/<tenant-id>/tenant-admin|tenant-member|compliance-officer}; the groups claim puts them in tokens.
 */
public class KeycloakIdentityDirectory implements IdentityDirectory {

    static final String TENANTS_GROUP = "tenants";
    static final List<Role> TENANT_ROLES = List.of(Role.TENANT_ADMIN, Role.TENANT_MEMBER, Role.COMPLIANCE_OFFICER);

    private final KeycloakAdmin keycloak;

    public KeycloakIdentityDirectory(KeycloakAdmin keycloak) {
        this.keycloak = keycloak;
    }

    @Override
    public void ensureTenant(UUID tenantId, String slug, String displayName) {
        if (organization(slug).isEmpty()) {
            OrganizationRepresentation organization = new OrganizationRepresentation();
            organization.setName(slug);
            organization.setAlias(slug);
            organization.setDescription(displayName);
            organization.setEnabled(true);
            organization.singleAttribute("tenantId", tenantId.toString());
            try (Response response = realm().organizations().create(organization)) {
                expect(response, "create organisation " + slug);
            }
        }
        GroupRepresentation tenantGroup = tenantGroup(tenantId).orElseGet(() -> {
            GroupRepresentation group = new GroupRepresentation();
            group.setName(tenantId.toString());
            group.singleAttribute("slug", slug);
            try (Response response = realm().groups().group(tenantsGroup().getId()).subGroup(group)) {
                expect(response, "create group for tenant " + slug);
            }
            return tenantGroup(tenantId).orElseThrow();
        });
        GroupResource parent = realm().groups().group(tenantGroup.getId());
        List<String> existing = parent.getSubGroups(0, 100, true).stream().map(GroupRepresentation::getName).toList();
        for (Role role : TENANT_ROLES) {
            if (!existing.contains(role.value())) {
                GroupRepresentation child = new GroupRepresentation();
                child.setName(role.value());
                try (Response response = parent.subGroup(child)) {
                    expect(response, "create group " + role.value() + " for tenant " + slug);
                }
            }
        }
    }

    @Override
    public void removeTenant(UUID tenantId, String slug) {
        organization(slug).ifPresent(organization -> {
            try (Response response = realm().organizations().get(organization.getId()).delete()) {
                expect(response, "delete organisation " + slug);
            }
        });
        tenantGroup(tenantId).ifPresent(group -> realm().groups().group(group.getId()).remove());
    }

    @Override
    public List<Member> members(UUID tenantId) {
        Map<String, Member> members = new LinkedHashMap<>();
        for (Map.Entry<Role, GroupRepresentation> group : roleGroups(tenantId).entrySet()) {
            for (UserRepresentation user : realm().groups().group(group.getValue().getId()).members(0, 1000, false)) {
                members.putIfAbsent(user.getId(), toMember(user, group.getKey()));
            }
        }
        return new ArrayList<>(members.values());
    }

    @Override
    public Optional<Member> member(UUID tenantId, String userId) {
        return members(tenantId).stream().filter(m -> m.userId().equals(userId)).findFirst();
    }

    @Override
    public Member addExisting(UUID tenantId, String slug, String userId, Role role) {
        UserRepresentation user;
        try {
            user = realm().users().get(userId).toRepresentation();
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 404) {
                throw new ApiException(ProblemType.UNPROCESSABLE, "userId: no user " + userId + " in the identity provider",
                        List.of(new dev.atrium.controlplane.common.FieldError("userId", "no such user")));
            }
            throw e;
        }
        return join(tenantId, slug, user, role);
    }

    @Override
    public Member invite(UUID tenantId, String slug, String email, String firstName, String lastName, Role role) {
        List<UserRepresentation> found = realm().users().searchByEmail(email, true);
        UserRepresentation user;
        if (!found.isEmpty()) {
            user = found.getFirst();
        } else {
            UserRepresentation created = new UserRepresentation();
            created.setUsername(email);
            created.setEmail(email);
            created.setFirstName(firstName);
            created.setLastName(lastName);
            created.setEnabled(true);
            created.setRequiredActions(List.of("UPDATE_PASSWORD", "VERIFY_EMAIL"));
            try (Response response = realm().users().create(created)) {
                expect(response, "create the invited user");
            }
            user = realm().users().searchByEmail(email, true).getFirst();
        }
        return join(tenantId, slug, user, role);
    }

    @Override
    public Member changeRole(UUID tenantId, String userId, Role role) {
        Map<Role, GroupRepresentation> groups = roleGroups(tenantId);
        var user = realm().users().get(userId);
        for (Map.Entry<Role, GroupRepresentation> group : groups.entrySet()) {
            if (group.getKey() == role) {
                user.joinGroup(group.getValue().getId());
            } else {
                user.leaveGroup(group.getValue().getId());
            }
        }
        return toMember(user.toRepresentation(), role);
    }

    @Override
    public void remove(UUID tenantId, String slug, String userId) {
        var user = realm().users().get(userId);
        roleGroups(tenantId).values().forEach(group -> user.leaveGroup(group.getId()));
        organization(slug).ifPresent(organization -> {
            try (Response response = realm().organizations().get(organization.getId()).members().member(userId).delete()) {
                // 404: not (or no longer) a member of the organisation; the groups are what grant access
            }
        });
    }

    private Member join(UUID tenantId, String slug, UserRepresentation user, Role role) {
        OrganizationRepresentation organization = organization(slug).orElseThrow(() ->
                new ApiException(ProblemType.CONFLICT, "tenant " + slug + " has no organisation yet (still provisioning?)"));
        boolean alreadyMember = realm().organizations().get(organization.getId()).members()
                .search(user.getEmail() != null ? user.getEmail() : user.getUsername(), true, 0, 10).stream()
                .anyMatch(m -> m.getId().equals(user.getId()));
        if (!alreadyMember) {
            try (Response response = realm().organizations().get(organization.getId()).members().addMember(user.getId())) {
                expect(response, "add the user to organisation " + slug);
            }
        }
        return changeRole(tenantId, user.getId(), role);
    }

    private Map<Role, GroupRepresentation> roleGroups(UUID tenantId) {
        GroupRepresentation tenantGroup = tenantGroup(tenantId).orElseThrow(() ->
                new ApiException(ProblemType.CONFLICT, "tenant " + tenantId + " has no groups in the identity provider"));
        Map<Role, GroupRepresentation> groups = new LinkedHashMap<>();
        for (GroupRepresentation child : realm().groups().group(tenantGroup.getId()).getSubGroups(0, 100, true)) {
            Role.fromValue(child.getName()).ifPresent(role -> groups.put(role, child));
        }
        return groups;
    }

    private Optional<GroupRepresentation> tenantGroup(UUID tenantId) {
        return realm().groups().group(tenantsGroup().getId()).getSubGroups(tenantId.toString(), true, 0, 10, true)
                .stream().filter(g -> g.getName().equals(tenantId.toString())).findFirst();
    }

    private GroupRepresentation tenantsGroup() {
        return realm().groups().groups(TENANTS_GROUP, true, 0, 10, true).stream()
                .filter(g -> g.getName().equals(TENANTS_GROUP)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the realm has no /tenants group: import infra/keycloak/atrium-realm.json"));
    }

    private Optional<OrganizationRepresentation> organization(String slug) {
        return realm().organizations().search(slug, true, 0, 10).stream().filter(o -> slug.equals(o.getAlias())).findFirst();
    }

    private RealmResource realm() {
        return keycloak.realm();
    }

    private static Member toMember(UserRepresentation user, Role role) {
        boolean invited = user.getRequiredActions() != null && !user.getRequiredActions().isEmpty();
        return Member.of(user.getId(), user.getUsername(), user.getEmail(), user.getFirstName(), user.getLastName(), role,
                invited ? Member.Status.INVITED : Member.Status.ACTIVE);
    }

    private static void expect(Response response, String what) {
        int status = response.getStatus();
        if (status == 409) {
            throw new ApiException(ProblemType.CONFLICT, "identity provider refused to " + what + ": already exists");
        }
        if (status >= 300) {
            throw new IllegalStateException("identity provider refused to " + what + " (HTTP " + status + ")");
        }
    }
}
