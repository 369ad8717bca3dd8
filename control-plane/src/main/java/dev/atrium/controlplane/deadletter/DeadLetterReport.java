package dev.atrium.controlplane.deadletter;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** A batch of dead letters from one data plane; accepted or refused as a whole. */
public record DeadLetterReport(@NotNull(message = "deadLetters is required") @NotEmpty(message = "deadLetters must not be empty")
                               @Size(max = 100, message = "at most 100 dead letters per report")
                               List<@Valid @NotNull ReportedDeadLetter> deadLetters) {
}
