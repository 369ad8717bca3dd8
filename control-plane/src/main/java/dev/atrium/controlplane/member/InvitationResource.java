package dev.atrium.controlplane.member;

import java.net.URI;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.auth.AuthorizedTenant;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.Page;
import dev.atrium.controlplane.idempotency.Idempotent;

/** A tenant's invitations: people join only by accepting one, signed in with the invited e-mail address. */
@Path("/api/v1/tenants/{tenantId}/invitations")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Members")
public class InvitationResource {

    @Inject
    AuthorizedTenant authorized;

    @Inject
    MemberService memberService;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Idempotent
    @Operation(summary = "Invite a person by e-mail with a role",
            description = "The answer is the same whether or not an account with that address exists. The person sees the "
                    + "invitation after signing in with that verified address (GET /api/v1/me/invitations) and accepts it there.")
    public Response invite(@PathParam("tenantId") String tenantId,
                           @Valid @NotNull(message = "body is required") MemberRequests.Invite request) {
        Invitation invitation = memberService.invite(authorized.id(), request);
        return Response.created(URI.create("/api/v1/tenants/" + tenantId + "/invitations/" + invitation.id()))
                .entity(invitation).build();
    }

    @GET
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "A tenant's invitations, newest first (pending, accepted, declined, revoked, expired)")
    public Page<Invitation> list(@PathParam("tenantId") String tenantId) {
        return new Page<>(memberService.invitations(authorized.id()), null);
    }

    @DELETE
    @Path("/{invitationId}")
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Revoke a pending invitation")
    public Response revoke(@PathParam("tenantId") String tenantId, @PathParam("invitationId") String invitationId) {
        memberService.revokeInvitation(authorized.id(), parse(invitationId));
        return Response.noContent().build();
    }

    static UUID parse(String invitationId) {
        try {
            return UUID.fromString(invitationId);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("invitation", invitationId);
        }
    }
}
