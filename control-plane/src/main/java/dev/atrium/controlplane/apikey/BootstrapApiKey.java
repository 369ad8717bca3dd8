package dev.atrium.controlplane.apikey;

import java.security.SecureRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;
import org.jboss.logging.Logger;

import dev.atrium.controlplane.auth.PlatformAdminSignIn.PlatformAdminSignedIn;
import dev.atrium.controlplane.common.AtriumConfig;
import dev.atrium.tenancy.ApiKeyFormat;
import dev.atrium.tenancy.InvalidApiKeyException;

/**
 * Makes sure an operator can reach the API on a fresh installation. With ATRIUM_BOOTSTRAP_API_KEY set, that key
 * is registered as a platform-admin key (idempotently). Otherwise, when no platform key exists yet, one is
 * generated and printed once to the console; only its hash is stored. Once a person signs in as platform admin,
 * bootstrap keys expire {@code atrium.api-keys.bootstrap-key-expiry} (24 h) later.
 */
@ApplicationScoped
public class BootstrapApiKey {

    private static final Logger LOG = Logger.getLogger(BootstrapApiKey.class);

    @Inject
    ApiKeyService apiKeyService;

    @Inject
    AtriumConfig config;

    void onStart(@Observes StartupEvent event) {
        registerServiceKeys();
        if (config.apiKeys().bootstrapKey().isPresent()) {
            String key = config.apiKeys().bootstrapKey().get().trim();
            try {
                ApiKeyFormat.parse(key);
            } catch (InvalidApiKeyException e) {
                throw new IllegalStateException("ATRIUM_BOOTSTRAP_API_KEY is not a valid Atrium key: " + e.getMessage()
                        + "; unset it to have a key generated and printed instead");
            }
            if (apiKeyService.ensurePlatformKey(key, "bootstrap (ATRIUM_BOOTSTRAP_API_KEY)")) {
                LOG.info("registered the platform-admin key from ATRIUM_BOOTSTRAP_API_KEY");
            }
            return;
        }
        if (apiKeyService.platformKeyExists()) {
            return;
        }
        String key = ApiKeyFormat.generate(new SecureRandom());
        apiKeyService.ensurePlatformKey(key, "bootstrap");
        printOnce(key);
    }

    void onPlatformAdminSignedIn(@Observes PlatformAdminSignedIn signIn) {
        int expiring = apiKeyService.expireBootstrapKeys(config.apiKeys().bootstrapKeyExpiry(), signIn.actorId());
        if (expiring > 0) {
            LOG.infof("a platform admin signed in: the bootstrap key expires in %s", config.apiKeys().bootstrapKeyExpiry());
        }
    }

    private void registerServiceKeys() {
        for (String entry : config.apiKeys().serviceKeys().orElse(java.util.List.of())) {
            int separator = entry.indexOf('=');
            String region = separator > 0 ? entry.substring(0, separator).trim() : "";
            String secret = separator > 0 ? entry.substring(separator + 1).trim() : "";
            try {
                ApiKeyFormat.parse(secret);
            } catch (InvalidApiKeyException e) {
                throw new IllegalStateException("ATRIUM_API_KEYS_SERVICE_KEYS entries must be region=<Atrium key>; the entry for '"
                        + region + "' is not: " + e.getMessage());
            }
            if (region.isEmpty()) {
                throw new IllegalStateException("ATRIUM_API_KEYS_SERVICE_KEYS entries must be region=<Atrium key>");
            }
            if (apiKeyService.ensureServiceKey(secret, region)) {
                LOG.infof("registered the data-plane service key of region %s", region);
            }
        }
    }

    private static void printOnce(String key) {
        // Printed on purpose, once: this is the only copy of the key. Only its hash is stored.
        System.out.println("""

                ================================================================================
                 Atrium bootstrap platform-admin API key (shown once, only its hash is stored):

                   %s

                 export ATRIUM_API_KEY=%s
                ================================================================================
                """.formatted(key, key));
    }
}
