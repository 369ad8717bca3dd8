package dev.atrium.controlplane.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer credential that looks like an Atrium API key ({@code atr_...}), waiting to be verified. */
public class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final String presentedKey;

    public ApiKeyAuthenticationRequest(String presentedKey) {
        this.presentedKey = presentedKey;
    }

    public String presentedKey() {
        return presentedKey;
    }

    @Override
    public String toString() {
        return "ApiKeyAuthenticationRequest[redacted]";
    }
}
