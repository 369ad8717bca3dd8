package dev.atrium.contract;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A data plane's report on one tenant's running rollouts, sent every report interval (with no samples when nothing
 * was served: the answer still tells it which rollouts changed). {@code reportId} is chosen by the data plane and kept
 * when it sends the same report again (its answer timed out, say): the control plane counts a report's samples once.
 */
public record RolloutReport(@NotNull(message = "reportId is required") UUID reportId,
                            @NotNull(message = "samples is required") @Size(max = 200, message = "at most 200 samples per report")
                            List<@Valid @NotNull VersionSample> samples) {
}
