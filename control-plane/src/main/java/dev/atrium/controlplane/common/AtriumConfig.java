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

    Secrets secrets();

    Iam iam();

    Audit audit();

    interface Audit {
        Digest digest();

        Export export();

        interface Export {
            /**
             * A PDF report lists at most this many events (PDFBox holds every page until the file is saved); the
             * summary and the verification statement still cover all of them, and the JSON Lines and CSV exports
             * have no limit.
             */
            @WithDefault("20000")
            long pdfMaxListedEvents();
        }

        interface Digest {
            /** A chain gets a digest when its oldest undigested event is this old... */
            @WithDefault("5m")
            Duration interval();

            /** ...or when this many events are waiting (also the most one digest covers). */
            @WithDefault("1000")
            int maxEvents();

            /** How often chains are checked for due digests (a Quarkus scheduler period). */
            @WithDefault("30s")
            String checkEvery();
        }
    }

    interface Iam {
        Keycloak keycloak();

        /** The Keycloak client whose client-credentials tokens identify data planes on the internal API. */
        @WithDefault("atrium-data-plane")
        String dataPlaneClientId();

        /** How often Keycloak's login failures are copied into the audit trail. */
        @WithDefault("10s")
        String loginEventImport();

        interface Keycloak {
            /** When false, only API keys authenticate and member management answers 503. */
            @WithDefault("true")
            boolean enabled();

            String url();

            @WithDefault("atrium")
            String realm();

            /** The control plane's own service account in the realm (manages organisations and members). */
            @WithDefault("atrium-control-plane")
            String adminClientId();

            String adminClientSecret();
        }
    }

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
        /** A key to register as platform-admin at start (ATRIUM_BOOTSTRAP_API_KEY), for automation. */
        java.util.Optional<String> bootstrapKey();

        /**
         * Data-plane service keys to register at start, as {@code region=key} entries (ATRIUM_API_KEYS_SERVICE_KEYS),
         * so a launcher can give its data planes identities without a person issuing them.
         */
        java.util.Optional<java.util.List<String>> serviceKeys();

        /** Last-used timestamps are written at most this often per key, to keep reads read-only. */
        @WithDefault("60s")
        Duration lastUsedGranularity();
    }

    interface Secrets {
        /** {@code local} (envelope encryption in PostgreSQL) or {@code vault}. */
        @WithDefault("local")
        String backend();

        /** Largest accepted secret value, in bytes of UTF-8. */
        @WithDefault("65536")
        int maxValueBytes();

        /**
         * Local backend: the master key, base64 of 32 bytes (ATRIUM_SECRETS_MASTER_KEY). When absent, a key file in
         * the data directory is used, created on first start.
         */
        java.util.Optional<String> masterKey();

        /** Local backend: previous master keys whose data keys are re-wrapped at start (env rotation). */
        java.util.Optional<List<String>> retiredMasterKeys();

        Vault vault();

        interface Vault {
            java.util.Optional<String> address();

            java.util.Optional<String> token();

            java.util.Optional<String> namespace();

            @WithDefault("secret")
            String mount();

            @WithDefault("atrium")
            String pathPrefix();

            @WithDefault("approle")
            String approlePath();

            java.util.Optional<String> approleRoleId();

            java.util.Optional<String> approleSecretId();
        }
    }
}
