package dev.atrium.contract;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A tenant API key a data plane was shown, to be checked by the control plane (which alone holds the hashes). */
public record KeyIntrospectionRequest(@NotBlank(message = "key is required") @Size(max = 200) String key) {

    @Override
    public String toString() {
        return "KeyIntrospectionRequest[key redacted]";
    }
}
