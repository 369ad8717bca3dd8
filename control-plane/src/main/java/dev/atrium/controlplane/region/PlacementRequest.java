package dev.atrium.controlplane.region;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Body of {@code PUT /api/v1/tenants/{id}/placement}. */
public record PlacementRequest(@NotBlank(message = "is required") @Size(max = 40) String primary,
                               @Size(max = 5, message = "at most 5 standbys") List<@NotNull @Size(max = 40) String> standbys) {

    public PlacementRequest {
        standbys = standbys == null ? List.of() : List.copyOf(standbys);
    }
}
