package dev.atrium.controlplane.member;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.AtriumConfig;
import dev.atrium.controlplane.common.FieldError;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.identity.ActorType;
import dev.atrium.controlplane.identity.Caller;
import dev.atrium.controlplane.identity.CallerContext;
import dev.atrium.controlplane.identity.MembershipChanged;
import dev.atrium.controlplane.tenant.Tenant;
import dev.atrium.controlplane.tenant.TenantDeleting;
import dev.atrium.controlplane.tenant.TenantStatus;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;
import dev.atrium.tenancy.Role;

/**
 * Who belongs to a tenant and with which role: Atrium's own data, changed in the same transaction as its audit
 * event. Tenant admins invite people by e-mail; an invitation becomes a membership only when the invited person,
 * signed in with that verified address, accepts it. A tenant admin learns nothing about accounts: an invitation
 * looks the same whether or not the address has an account. Platform admins may add an existing account directly.
 */
@ApplicationScoped
public class MemberService {

    /** Pending invitations a tenant may have at once. */
    static final int MAX_PENDING_INVITATIONS = 500;

    @Inject
    jakarta.enterprise.event.Event<MembershipChanged> membershipChanged;

    @Inject
    MemberRepository repository;

    @Inject
    IdentityDirectory directory;

    @Inject
    AuditTrail auditTrail;

    @Inject
    CallerContext callerContext;

    @Inject
    AtriumConfig config;

    public List<Member> list(UUID tenantId) {
        requireIdentityProvider();
        Tenant.require(tenantId);
        return repository.members(tenantId);
    }

    /** Platform admins only: adds an existing account (checked with the identity provider) with a role. */
    @Transactional
    public Member addExisting(UUID tenantId, MemberRequests.AddMember request) {
        requireIdentityProvider();
        requireActiveTenant(tenantId);
        Role role = parseRole(request.role());
        IdentityDirectory.Person person = directory.person(request.userId()).orElseThrow(() ->
                new ApiException(ProblemType.UNPROCESSABLE, "userId: no account " + request.userId() + " in the identity provider",
                        List.of(new FieldError("userId", "no such account"))));
        Member member = new Member(person.userId(), person.username(), person.email(), person.firstName(), person.lastName(),
                role.value(), now(), actor());
        repository.upsert(tenantId, member);
        Member stored = repository.member(tenantId, person.userId()).orElseThrow();
        auditTrail.record(AuditEntry.success("member.add").tenant(tenantId).resource("member", person.userId()).after(stored));
        return stored;
    }

    @Transactional
    public Member changeRole(UUID tenantId, String userId, MemberRequests.ChangeRole request) {
        requireIdentityProvider();
        requireActiveTenant(tenantId);
        Role role = parseRole(request.role());
        Member before = existing(tenantId, userId);
        if (!role.value().equals(before.role())) {
            requireAnotherAdminRemains(tenantId, before);
        }
        repository.changeRole(tenantId, userId, role.value());
        Member after = existing(tenantId, userId);
        auditTrail.record(AuditEntry.success("member.role.change").tenant(tenantId).resource("member", userId)
                .before(before).after(after));
        membershipChanged.fire(new MembershipChanged(tenantId, "user:" + userId, role));
        return after;
    }

    @Transactional
    public void remove(UUID tenantId, String userId) {
        requireIdentityProvider();
        Tenant.require(tenantId);
        Member before = existing(tenantId, userId);
        requireAnotherAdminRemains(tenantId, before);
        repository.remove(tenantId, userId);
        auditTrail.record(AuditEntry.success("member.remove").tenant(tenantId).resource("member", userId).before(before));
        membershipChanged.fire(new MembershipChanged(tenantId, "user:" + userId, null));
    }

    /** Invites an e-mail address with a role; a pending invitation of the same address is replaced. */
    @Transactional
    public Invitation invite(UUID tenantId, MemberRequests.Invite request) {
        requireIdentityProvider();
        Tenant tenant = requireActiveTenant(tenantId);
        Role role = parseRole(request.role());
        String email = request.email().strip().toLowerCase(Locale.ROOT);
        if (repository.countPending(tenantId) >= MAX_PENDING_INVITATIONS) {
            throw new ApiException(ProblemType.QUOTA_EXCEEDED, "a tenant has at most " + MAX_PENDING_INVITATIONS
                    + " pending invitations; revoke some first");
        }
        repository.supersedePending(tenantId, email, actor());
        Instant now = now();
        Invitation invitation = new Invitation(UUID.randomUUID(), tenantId, tenant.slug, email, role.value(),
                Invitation.Status.PENDING, actor(), now, now.plus(config.members().invitationTtl()), null);
        repository.insertInvitation(invitation);
        auditTrail.record(AuditEntry.success("member.invite").tenant(tenantId).resource("invitation", invitation.id())
                .after(Map.of("email", email, "role", role.value(), "expiresAt", invitation.expiresAt().toString())));
        return invitation;
    }

    public List<Invitation> invitations(UUID tenantId) {
        requireIdentityProvider();
        Tenant.require(tenantId);
        return repository.invitations(tenantId);
    }

    @Transactional
    public void revokeInvitation(UUID tenantId, UUID invitationId) {
        requireIdentityProvider();
        Invitation invitation = repository.invitation(invitationId).filter(i -> i.tenantId().equals(tenantId))
                .orElseThrow(() -> ApiException.notFound("invitation", invitationId));
        if (!repository.respond(invitationId, Invitation.Status.REVOKED, actor())) {
            throw new ApiException(ProblemType.INVALID_TRANSITION, "invitation " + invitationId + " is " + invitation.status());
        }
        auditTrail.record(AuditEntry.success("member.invitation.revoke").tenant(tenantId).resource("invitation", invitationId)
                .before(Map.of("email", invitation.email(), "role", invitation.role(), "status", invitation.status())));
    }

    /** The signed-in person's pending invitations, matched by their verified e-mail address. */
    public List<Invitation> pendingFor(Person person) {
        return person.verifiedEmail() == null ? List.of() : repository.pendingFor(person.verifiedEmail());
    }

    /** Accepting makes the person a member with the invited role (or changes their role if they are one already). */
    @Transactional
    public Member accept(UUID invitationId, Person person) {
        Invitation invitation = addressedTo(invitationId, person);
        Tenant tenant = requireActiveTenant(invitation.tenantId());
        if (!repository.respond(invitationId, Invitation.Status.ACCEPTED, person.actorId())) {
            throw ApiException.notFound("invitation", invitationId);
        }
        Member member = new Member(person.userId(), person.username(), person.verifiedEmail(), person.firstName(),
                person.lastName(), invitation.role(), now(), invitation.invitedBy());
        repository.upsert(tenant.id, member);
        Member stored = repository.member(tenant.id, person.userId()).orElseThrow();
        auditTrail.record(AuditEntry.success("member.invitation.accept").tenant(tenant.id).resource("member", person.userId())
                .actor(person.actorId(), ActorType.USER)
                .after(Map.of("invitation", invitationId.toString(), "role", stored.role(), "email", person.verifiedEmail())));
        return stored;
    }

    @Transactional
    public void decline(UUID invitationId, Person person) {
        Invitation invitation = addressedTo(invitationId, person);
        if (!repository.respond(invitationId, Invitation.Status.DECLINED, person.actorId())) {
            throw ApiException.notFound("invitation", invitationId);
        }
        auditTrail.record(AuditEntry.success("member.invitation.decline").tenant(invitation.tenantId())
                .resource("invitation", invitationId).actor(person.actorId(), ActorType.USER)
                .after(Map.of("email", invitation.email())));
    }

    /** A deleted tenant keeps no members and no open invitations. */
    void onTenantDeleting(@Observes TenantDeleting deleting) {
        int members = repository.removeAll(deleting.tenantId());
        int invitations = repository.revokeAllPending(deleting.tenantId(), "system:tenant-deletion");
        if (members + invitations > 0) {
            auditTrail.record(AuditEntry.success("member.remove.all").tenant(deleting.tenantId())
                    .resource("tenant", deleting.tenantId()).after(Map.of("removedMembers", members, "revokedInvitations", invitations)));
        }
    }

    /**
     * The person answering an invitation, as their token shows them. {@code verifiedEmail} is null unless the
     * identity provider verified the address.
     */
    public record Person(String userId, String username, String verifiedEmail, String firstName, String lastName) {
        String actorId() {
            return "user:" + userId;
        }
    }

    /** An invitation that is someone else's is reported like one that does not exist. */
    private Invitation addressedTo(UUID invitationId, Person person) {
        return repository.invitation(invitationId)
                .filter(i -> i.status() == Invitation.Status.PENDING)
                .filter(i -> person.verifiedEmail() != null && i.email().equals(person.verifiedEmail()))
                .orElseThrow(() -> ApiException.notFound("invitation", invitationId));
    }

    private Member existing(UUID tenantId, String userId) {
        return repository.member(tenantId, userId).orElseThrow(() -> ApiException.notFound("member", userId));
    }

    /** Tenant admins cannot remove or demote the tenant's last tenant admin (platform admins can, e.g. to hand over). */
    private void requireAnotherAdminRemains(UUID tenantId, Member leaving) {
        boolean platformAdmin = callerContext.current().map(Caller::isPlatformAdmin).orElse(false);
        if (!platformAdmin && Role.TENANT_ADMIN.value().equals(leaving.role()) && repository.countTenantAdmins(tenantId) <= 1) {
            throw new ApiException(ProblemType.CONFLICT, "this is the tenant's last tenant admin; make someone else tenant admin first");
        }
    }

    private void requireIdentityProvider() {
        if (!config.iam().keycloak().enabled()) {
            throw UnavailableIdentityDirectory.unavailable();
        }
    }

    private static Role parseRole(String value) {
        return Role.fromValue(value).filter(r -> !r.isPlatformWide()).orElseThrow(() ->
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

    private String actor() {
        return callerContext.current().map(Caller::actorId).orElse("system:atrium");
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
