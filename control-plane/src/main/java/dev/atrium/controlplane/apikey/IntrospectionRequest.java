package dev.atrium.controlplane.apikey;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The API key a data plane was shown, to be checked by the control plane. */
public record IntrospectionRequest(@NotBlank(message = "key is required") @Size(max = 200) String key) {

    @Override
    public String toString() {
        return "IntrospectionRequest[key redacted]";
    }
}
