package dev.atrium.controlplane.member;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import dev.atrium.controlplane.identity.Caller;
import dev.atrium.controlplane.member.Me.TenantMembership;
import dev.atrium.controlplane.tenant.Tenant;
import dev.atrium.tenancy.Role;
import dev.atrium.tenancy.Scope;

/** Describes the calling principal; tenants that no longer exist are left out of the list. */
@ApplicationScoped
public class MeService {

    public Me describe(Caller caller) {
        List<TenantMembership> tenants = caller.memberships().entrySet().stream()
                .map(membership -> {
                    Tenant tenant = Tenant.findById(membership.getKey());
                    return tenant == null ? null : new TenantMembership(tenant.id, tenant.slug, tenant.displayName,
                            tenant.status.name(), membership.getValue().stream().map(Role::value).sorted().toList());
                })
                .filter(Objects::nonNull)
                .sorted(Comparator.comparing(TenantMembership::slug))
                .toList();
        return new Me(caller.actorId(), caller.actorType().value(), caller.isPlatformAdmin(),
                caller.isPlatformComplianceOfficer(), tenants, caller.scopes().stream().map(Scope::value).sorted().toList());
    }
}
