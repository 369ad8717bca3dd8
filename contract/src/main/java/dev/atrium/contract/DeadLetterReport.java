package dev.atrium.contract;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Outbox events a data plane parked after the control plane refused them for good. */
public record DeadLetterReport(@NotNull(message = "deadLetters is required") @NotEmpty(message = "deadLetters must not be empty")
                               @Size(max = 100, message = "at most 100 dead letters per report")
                               List<@Valid @NotNull ReportedDeadLetter> deadLetters) {
}
