package dev.atrium.controlplane.member;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.Page;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.identity.TenantScope;

/**
 * The signed-in person's own invitations, matched by the verified e-mail address in their token. Answering one
 * touches a tenant the person does not belong to yet, so it runs with the platform's database scope; the
 * invitation's address is what authorizes it.
 */
@Path("/api/v1/me/invitations")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Identity")
public class MyInvitationResource {

    @Inject
    MemberService memberService;

    @Inject
    SecurityIdentity identity;

    @GET
    @Authorized
    @Operation(summary = "My pending invitations (people only; matched by my verified e-mail address)")
    public Page<Invitation> pending() {
        MemberService.Person person = person();
        List<Invitation> pending = TenantScope.asPlatform(() -> memberService.pendingFor(person));
        return new Page<>(pending, null);
    }

    @POST
    @Path("/{invitationId}:accept")
    @Authorized
    @Operation(summary = "Accept an invitation: I become a member of the tenant with the invited role")
    public Member accept(@PathParam("invitationId") String invitationId) {
        MemberService.Person person = person();
        return TenantScope.asPlatform(() -> memberService.accept(InvitationResource.parse(invitationId), person));
    }

    @POST
    @Path("/{invitationId}:decline")
    @Authorized
    @Operation(summary = "Decline an invitation")
    public Response decline(@PathParam("invitationId") String invitationId) {
        MemberService.Person person = person();
        TenantScope.asPlatform(() -> {
            memberService.decline(InvitationResource.parse(invitationId), person);
            return null;
        });
        return Response.noContent().build();
    }

    private MemberService.Person person() {
        if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
            throw new ApiException(ProblemType.FORBIDDEN, "invitations are answered by people, signed in; not by API keys");
        }
        boolean verified = Boolean.TRUE.equals(token.getClaim("email_verified"))
                || "true".equals(String.valueOf(token.<Object>getClaim("email_verified")));
        String email = token.<String>getClaim("email");
        return new MemberService.Person(token.getSubject(), token.<String>getClaim("preferred_username"),
                verified && email != null ? email.strip().toLowerCase(java.util.Locale.ROOT) : null,
                token.<String>getClaim("given_name"), token.<String>getClaim("family_name"));
    }
}
