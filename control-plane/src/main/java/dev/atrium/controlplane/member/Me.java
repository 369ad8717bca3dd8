package dev.atrium.controlplane.member;

import java.util.List;
import java.util.UUID;

/** The calling principal as the console and the CLI see it: identity, tenants with roles, scopes. */
public record Me(String id, String type, boolean platformAdmin, boolean platformComplianceOfficer,
                 List<TenantMembership> tenants, List<String> scopes) {

    public record TenantMembership(UUID id, String slug, String displayName, String status, List<String> roles) {
    }
}
