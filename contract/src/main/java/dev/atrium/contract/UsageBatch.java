package dev.atrium.contract;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** A batch of usage events from one data plane's outbox; accepted or refused as a whole. */
public record UsageBatch(@NotNull(message = "events is required") @NotEmpty(message = "events must not be empty")
                         @Size(max = 1000, message = "at most 1000 events per batch") List<@Valid @NotNull UsageEvent> events) {
}
