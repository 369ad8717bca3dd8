package dev.atrium.contract;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** An erasure command a data plane received: the tenant, the token it came with, and the data plane's region. */
public record ErasureVerificationRequest(@NotNull(message = "tenantId is required") java.util.UUID tenantId,
                                         @NotBlank(message = "token is required") @Size(max = 200) String token,
                                         @NotBlank(message = "region is required") @Size(max = 40) String region) {

    @Override
    public String toString() {
        return "ErasureVerificationRequest[tenant " + tenantId + ", region " + region + ", token redacted]";
    }
}
