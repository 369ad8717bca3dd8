package dev.atrium.controlplane.member;

import jakarta.validation.constraints.NotBlank;

/** Body of {@code PATCH .../members/{userId}}. */
public record ChangeRoleRequest(@NotBlank(message = "is required") String role) {
}
