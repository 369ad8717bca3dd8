package dev.atrium.controlplane.member;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Request bodies of the member and invitation endpoints. */
public final class MemberRequests {

    private MemberRequests() {
    }

    /** {@code POST .../members}: platform admins add an existing account directly. */
    public record AddMember(
            @NotBlank(message = "is required") @Size(max = 64, message = "must be at most 64 characters") String userId,
            @NotBlank(message = "is required") String role) {
    }

    /** {@code POST .../invitations}: invite a person by e-mail with a role. */
    public record Invite(
            @NotBlank(message = "is required") @Email(message = "must be an e-mail address")
            @Size(max = 254, message = "must be at most 254 characters") String email,
            @NotBlank(message = "is required") String role) {
    }

    /** {@code PATCH .../members/{userId}}. */
    public record ChangeRole(@NotBlank(message = "is required") String role) {
    }
}
