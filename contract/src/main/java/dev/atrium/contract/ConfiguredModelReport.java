package dev.atrium.contract;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The model backends a region's shared data plane is configured with ({@code atrium.models.*}), reported when it
 * starts and every few minutes so that the platform's deployments list shows them. Never a key: only whether one is
 * set. {@code restricted}: the backend serves only the tenants its configuration names.
 */
public record ConfiguredModelReport(@NotNull(message = "models is required") @Size(max = 200, message = "at most 200 models")
                                    List<@Valid @NotNull Model> models) {

    public record Model(@NotBlank @Size(max = 100) String name,
                        @NotBlank @Pattern(regexp = "chat|embedding", message = "kind must be chat or embedding") String kind,
                        @NotBlank @Size(max = 500) String url,
                        @Size(max = 200) String upstreamModel,
                        @Size(max = 100) String fallback,
                        boolean hasKey,
                        boolean restricted) {
    }
}
