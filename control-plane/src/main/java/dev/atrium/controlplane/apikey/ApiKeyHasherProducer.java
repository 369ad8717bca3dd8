package dev.atrium.controlplane.apikey;

import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.atrium.controlplane.secret.SecretService;
import dev.atrium.tenancy.ApiKeyHasher;

/**
 * Supplies the API-key hasher with its pepper, a platform secret kept in the secret store (generated on first
 * use, never in a configuration file). Losing it invalidates every key.
 */
@ApplicationScoped
public class ApiKeyHasherProducer {

    static final String PEPPER_SECRET = "api-key-pepper";

    @Produces
    @Singleton
    ApiKeyHasher apiKeyHasher(SecretService secrets) {
        return new ApiKeyHasher(Base64.getUrlDecoder().decode(secrets.platformSecret(PEPPER_SECRET)));
    }
}
