package dev.atrium.controlplane.member;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.atrium.controlplane.audit.AuditEntry;
import dev.atrium.controlplane.audit.AuditTrail;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.FieldError;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.tenant.Tenant;
import dev.atrium.controlplane.tenant.TenantStatus;
import dev.atrium.tenancy.Role;

/**
 * Who belongs to a tenant and with which role. The identity provider holds the memberships; every change is
 * written to the tenant's audit chain. The audit transaction wraps the provider call, so a change that the audit
 * trail cannot record is not reported as done (the provider call itself cannot be rolled back, and is idempotent).
 */
@ApplicationScoped
public class MemberService {

    @Inject
    IdentityDirectory directory;

    @Inject
    AuditTrail auditTrail;

    public List<Member> list(UUID tenantId) {
        Tenant.require(tenantId);
        return directory.members(tenantId);
    }

    @Transactional
    public Member add(UUID tenantId, AddMemberRequest request) {
        Tenant tenant = requireActiveTenant(tenantId);
        Role role = parseRole(request.role());
        boolean byId = request.userId() != null && !request.userId().isBlank();
        boolean byEmail = request.email() != null && !request.email().isBlank();
        if (byId == byEmail) {
            throw new ApiException(ProblemType.VALIDATION, "give exactly one of userId (existing user) or email (invite)",
                    List.of(new FieldError("userId", "exactly one of userId or email"), new FieldError("email", "exactly one of userId or email")));
        }
        Member member = byId
                ? directory.addExisting(tenantId, tenant.slug, request.userId(), role)
                : directory.invite(tenantId, tenant.slug, request.email().trim().toLowerCase(), request.firstName(),
                request.lastName(), role);
        auditTrail.record(AuditEntry.success(byId ? "member.add" : "member.invite").tenant(tenantId)
                .resource("member", member.userId()).after(member));
        return member;
    }

    @Transactional
    public Member changeRole(UUID tenantId, String userId, ChangeRoleRequest request) {
        requireActiveTenant(tenantId);
        Role role = parseRole(request.role());
        Member before = existing(tenantId, userId);
        Member after = directory.changeRole(tenantId, userId, role);
        auditTrail.record(AuditEntry.success("member.role.change").tenant(tenantId).resource("member", userId)
                .before(before).after(after));
        return after;
    }

    @Transactional
    public void remove(UUID tenantId, String userId) {
        Tenant tenant = Tenant.require(tenantId);
        Member before = existing(tenantId, userId);
        directory.remove(tenantId, tenant.slug, userId);
        auditTrail.record(AuditEntry.success("member.remove").tenant(tenantId).resource("member", userId).before(before));
    }

    private Member existing(UUID tenantId, String userId) {
        return directory.member(tenantId, userId).orElseThrow(() -> ApiException.notFound("member", userId));
    }

    private static Role parseRole(String value) {
        return Role.fromValue(value).filter(r -> r != Role.PLATFORM_ADMIN).orElseThrow(() ->
                new ApiException(ProblemType.UNPROCESSABLE, "role: must be tenant-admin, tenant-member or compliance-officer",
                        List.of(new FieldError("role", "must be tenant-admin, tenant-member or compliance-officer"))));
    }

    private static Tenant requireActiveTenant(UUID tenantId) {
        Tenant tenant = Tenant.require(tenantId);
        if (tenant.status != TenantStatus.ACTIVE) {
            throw new ApiException(ProblemType.INVALID_TRANSITION, "tenant " + tenantId + " is " + tenant.status
                    + "; members can be changed while it is ACTIVE");
        }
        return tenant;
    }
}
