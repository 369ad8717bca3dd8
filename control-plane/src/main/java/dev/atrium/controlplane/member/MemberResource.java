package dev.atrium.controlplane.member;

import java.net.URI;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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
import dev.atrium.controlplane.common.Page;
import dev.atrium.controlplane.idempotency.Idempotent;

@Path("/api/v1/tenants/{tenantId}/members")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Members")
public class MemberResource {

    @Inject
    AuthorizedTenant authorized;

    @Inject
    MemberService memberService;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Idempotent
    @Operation(summary = "Add an existing account with a role (platform admins; tenant admins invite by e-mail)")
    public Response add(@PathParam("tenantId") String tenantId,
                        @Valid @NotNull(message = "body is required") MemberRequests.AddMember request) {
        Member member = memberService.addExisting(authorized.id(), request);
        return Response.created(URI.create("/api/v1/tenants/" + tenantId + "/members/" + member.userId())).entity(member).build();
    }

    @GET
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "List a tenant's members with their roles")
    public Page<Member> list(@PathParam("tenantId") String tenantId) {
        return new Page<>(memberService.list(authorized.id()), null);
    }

    @PATCH
    @Path("/{userId}")
    @Consumes({"application/merge-patch+json", MediaType.APPLICATION_JSON})
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Change a member's role")
    public Member changeRole(@PathParam("tenantId") String tenantId, @PathParam("userId") String userId,
                             @Valid @NotNull(message = "body is required") MemberRequests.ChangeRole request) {
        return memberService.changeRole(authorized.id(), userId, request);
    }

    @DELETE
    @Path("/{userId}")
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Remove a member from the tenant (effective on their next request)")
    public Response remove(@PathParam("tenantId") String tenantId, @PathParam("userId") String userId) {
        memberService.remove(authorized.id(), userId);
        return Response.noContent().build();
    }
}
