package dev.atrium.controlplane.member;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code POST .../members}: either {@code userId} of an existing user or {@code email} to invite. */
public record AddMemberRequest(
        String userId,
        @Email(message = "must be an e-mail address") @Size(max = 254, message = "must be at most 254 characters") String email,
        @Size(max = 100, message = "must be at most 100 characters") String firstName,
        @Size(max = 100, message = "must be at most 100 characters") String lastName,
        @NotBlank(message = "is required") String role) {
}
