package dev.atrium.controlplane.member;

import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.identity.Caller;
import dev.atrium.controlplane.identity.CallerContext;
import dev.atrium.controlplane.tenant.Tenant;
import dev.atrium.tenancy.Role;
import dev.atrium.tenancy.Scope;

/** Who is calling: for the console's navigation and tenant switcher, and for the CLI. */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Identity")
public class MeResource {

    @Inject
    CallerContext callerContext;

    public record Me(String id, String type, boolean platformAdmin, boolean platformComplianceOfficer,
                     List<TenantMembership> tenants, List<String> scopes) {
    }

    public record TenantMembership(UUID id, String slug, String displayName, String status, List<String> roles) {
    }

    @GET
    @Authorized
    @Operation(summary = "The calling principal: identity, tenants with roles, scopes")
    public Me me() {
        Caller caller = callerContext.require();
        List<TenantMembership> tenants = caller.memberships().entrySet().stream()
                .map(membership -> {
                    Tenant tenant = Tenant.findById(membership.getKey());
                    return tenant == null ? null : new TenantMembership(tenant.id, tenant.slug, tenant.displayName,
                            tenant.status.name(), membership.getValue().stream().map(Role::value).sorted().toList());
                })
                .filter(java.util.Objects::nonNull)
                .sorted(Comparator.comparing(TenantMembership::slug))
                .toList();
        return new Me(caller.actorId(), caller.actorType().value(), caller.isPlatformAdmin(), caller.isPlatformComplianceOfficer(), tenants,
                caller.scopes().stream().map(Scope::value).sorted().toList());
    }
}
