package dev.atrium.console.api;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The control plane's public REST API ({@code /api/v1}), called as the signed-in user. */
@ApplicationScoped
public class ControlPlane extends ApiClient {

    @ConfigProperty(name = "atrium.control-plane.url")
    String url;

    @Override
    protected String baseUrl() {
        return url;
    }
}
