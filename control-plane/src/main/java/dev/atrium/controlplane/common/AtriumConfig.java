package dev.atrium.controlplane.common;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Atrium's own settings ({@code atrium.*} in application.properties or ATRIUM_* environment variables). */
@ConfigMapping(prefix = "atrium")
public interface AtriumConfig {

    /** Directory for local state: embedded PostgreSQL data and the generated API-key pepper. */
    String dataDir();

    /** Where embedded PostgreSQL binaries are unpacked; defaults to {@code <data-dir>/cache}. */
    java.util.Optional<String> cacheDir();

    Db db();

    Residency residency();

    Tenants tenants();

    RateLimit rateLimit();

    Idempotency idempotency();

    ApiKeys apiKeys();

    interface Residency {
        /** Data-residency zones a tenant may be placed in. */
        List<String> zones();

        String defaultZone();
    }

    interface Tenants {
        String defaultPlan();

        /** How often stuck PROVISIONING/DELETING tenants are retried (a Quarkus scheduler period). */
        @WithDefault("10s")
        String lifecycleSweep();
    }

    interface Db {
        /** The role the application connects as, granted DML by the migrations; empty when it is the owner. */
        java.util.Optional<String> appRole();
    }

    interface RateLimit {
        /** Limits for platform principals; tenant principals get their plan's limits. */
        Platform platform();

        interface Platform {
            int requestsPerSecond();

            int burst();
        }
    }

    interface Idempotency {
        /** How long a stored response can be replayed. */
        Duration retention();
    }

    interface ApiKeys {
        /**
         * The HMAC pepper, base64 (at least 32 bytes). When absent, a random one is generated once and kept in
         * {@code <data-dir>/api-key-pepper} with 0600 permissions.
         */
        java.util.Optional<String> pepper();

        /** A key to register as platform-admin at start (ATRIUM_BOOTSTRAP_API_KEY), for automation. */
        java.util.Optional<String> bootstrapKey();

        /** Last-used timestamps are written at most this often per key, to keep reads read-only. */
        @WithDefault("60s")
        Duration lastUsedGranularity();
    }
}
