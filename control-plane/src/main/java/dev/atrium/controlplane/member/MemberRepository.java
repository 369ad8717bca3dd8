package dev.atrium.controlplane.member;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.atrium.controlplane.common.Jdbc;
import dev.atrium.controlplane.common.Rows;

/** Memberships and invitations in PostgreSQL; joins the caller's transaction. */
@ApplicationScoped
public class MemberRepository {

    private static final String MEMBER_COLUMNS =
            "user_id, username, email, first_name, last_name, role, joined_at, added_by";
    private static final String INVITATION_COLUMNS = """
            i.id, i.tenant_id, t.slug, i.email, i.role, i.status, i.invited_by, i.invited_at, i.expires_at, i.responded_at""";

    @Inject
    Jdbc jdbc;

    /** Row mapper for {@link #MEMBER_COLUMNS}. */
    private static Member member(ResultSet row) throws SQLException {
        return new Member(row.getString("user_id"), row.getString("username"), row.getString("email"),
                row.getString("first_name"), row.getString("last_name"), row.getString("role"),
                row.getTimestamp("joined_at").toInstant(), row.getString("added_by"));
    }

    /** Row mapper for {@link #INVITATION_COLUMNS}; a pending invitation past its expiry reads as EXPIRED. */
    private static Invitation invitation(ResultSet row) throws SQLException {
        Invitation.Status status = Invitation.Status.valueOf(row.getString("status"));
        Instant expiresAt = row.getTimestamp("expires_at").toInstant();
        if (status == Invitation.Status.PENDING && !expiresAt.isAfter(Instant.now())) {
            status = Invitation.Status.EXPIRED;
        }
        return new Invitation(row.getObject("id", UUID.class), row.getObject("tenant_id", UUID.class), row.getString("slug"),
                row.getString("email"), row.getString("role"), status, row.getString("invited_by"),
                row.getTimestamp("invited_at").toInstant(), expiresAt, Rows.instant(row, "responded_at"));
    }

    public List<Member> members(UUID tenantId) {
        return jdbc.query("SELECT " + MEMBER_COLUMNS + " FROM tenant_member WHERE tenant_id = ? ORDER BY joined_at, user_id",
                MemberRepository::member, tenantId);
    }

    public Optional<Member> member(UUID tenantId, String userId) {
        return jdbc.query("SELECT " + MEMBER_COLUMNS + " FROM tenant_member WHERE tenant_id = ? AND user_id = ?",
                MemberRepository::member, tenantId, userId).stream().findFirst();
    }

    /** Adds the membership, or changes its role when the person is a member already. */
    public void upsert(UUID tenantId, Member member) {
        jdbc.update("""
                INSERT INTO tenant_member (tenant_id, user_id, role, username, email, first_name, last_name, joined_at, added_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = excluded.role""",
                tenantId, member.userId(), member.role(), member.username(), member.email(), member.firstName(),
                member.lastName(), Timestamp.from(member.joinedAt()), member.addedBy());
    }

    public void changeRole(UUID tenantId, String userId, String role) {
        jdbc.update("UPDATE tenant_member SET role = ? WHERE tenant_id = ? AND user_id = ?", role, tenantId, userId);
    }

    public void remove(UUID tenantId, String userId) {
        jdbc.update("DELETE FROM tenant_member WHERE tenant_id = ? AND user_id = ?", tenantId, userId);
    }

    public int removeAll(UUID tenantId) {
        return jdbc.update("DELETE FROM tenant_member WHERE tenant_id = ?", tenantId);
    }

    public long countTenantAdmins(UUID tenantId) {
        return jdbc.query("SELECT count(*) AS n FROM tenant_member WHERE tenant_id = ? AND role = 'tenant-admin'",
                row -> row.getLong("n"), tenantId).getFirst();
    }

    public void insertInvitation(Invitation invitation) {
        jdbc.update("""
                INSERT INTO member_invitation (id, tenant_id, email, role, status, invited_by, invited_at, expires_at)
                VALUES (?, ?, ?, ?, 'PENDING', ?, ?, ?)""",
                invitation.id(), invitation.tenantId(), invitation.email(), invitation.role(), invitation.invitedBy(),
                Timestamp.from(invitation.invitedAt()), Timestamp.from(invitation.expiresAt()));
    }

    public List<Invitation> invitations(UUID tenantId) {
        return jdbc.query("SELECT " + INVITATION_COLUMNS + " FROM member_invitation i JOIN tenant t ON t.id = i.tenant_id "
                + "WHERE i.tenant_id = ? ORDER BY i.invited_at DESC LIMIT 500", MemberRepository::invitation, tenantId);
    }

    public Optional<Invitation> invitation(UUID id) {
        return jdbc.query("SELECT " + INVITATION_COLUMNS + " FROM member_invitation i JOIN tenant t ON t.id = i.tenant_id "
                + "WHERE i.id = ?", MemberRepository::invitation, id).stream().findFirst();
    }

    /** Pending, unexpired invitations addressed to an e-mail address, in every tenant. */
    public List<Invitation> pendingFor(String email) {
        return jdbc.query("SELECT " + INVITATION_COLUMNS + " FROM member_invitation i JOIN tenant t ON t.id = i.tenant_id "
                + "WHERE i.email = ? AND i.status = 'PENDING' AND i.expires_at > now() AND t.status = 'ACTIVE' "
                + "ORDER BY i.invited_at LIMIT 100", MemberRepository::invitation, email);
    }

    public long countPending(UUID tenantId) {
        return jdbc.query("SELECT count(*) AS n FROM member_invitation WHERE tenant_id = ? AND status = 'PENDING' AND expires_at > now()",
                row -> row.getLong("n"), tenantId).getFirst();
    }

    /** Ends an invitation that is still pending; returns false when it was not pending any more. */
    public boolean respond(UUID id, Invitation.Status status, String respondedBy) {
        return jdbc.update("""
                UPDATE member_invitation SET status = ?, responded_at = ?, responded_by = ?
                WHERE id = ? AND status = 'PENDING'""",
                status.name(), Timestamp.from(Instant.now()), respondedBy, id) == 1;
    }

    /** Replaces an older pending invitation of the same address (a re-invite with another role). */
    public void supersedePending(UUID tenantId, String email, String by) {
        jdbc.update("""
                UPDATE member_invitation SET status = 'REVOKED', responded_at = ?, responded_by = ?
                WHERE tenant_id = ? AND email = ? AND status = 'PENDING'""", Timestamp.from(Instant.now()), by, tenantId, email);
    }

    public int revokeAllPending(UUID tenantId, String by) {
        return jdbc.update("""
                UPDATE member_invitation SET status = 'REVOKED', responded_at = ?, responded_by = ?
                WHERE tenant_id = ? AND status = 'PENDING'""", Timestamp.from(Instant.now()), by, tenantId);
    }
}
