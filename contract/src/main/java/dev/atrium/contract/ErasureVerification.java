package dev.atrium.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Whether an erasure command is the control plane's own (a token it issued for that tenant and region, unused). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErasureVerification(boolean valid, String reason) {
}
