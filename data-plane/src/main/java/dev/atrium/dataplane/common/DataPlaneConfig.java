package dev.atrium.dataplane.common;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything a data-plane process is configured with (prefix {@code atrium}). */
@ConfigMapping(prefix = "atrium")
public interface DataPlaneConfig {

    /** The region this process serves (e.g. {@code local-a}). */
    String region();

    /**
     * Set on a tenant's own data plane (the control plane provisions it with {@code ATRIUM_DEDICATED_TENANT}): it serves
     * that tenant only. Unset on a region's shared data plane, which serves the region's pooled tenants only.
     */
    Optional<java.util.UUID> dedicatedTenant();

    Deployments deployments();

    /** Where state lives: the embedded database and the Lucene indexes ({@code <data-dir>/data-plane/<region>/}). */
    @WithDefault(".atrium")
    String dataDir();

    Optional<String> cacheDir();

    Db db();

    ControlPlane controlPlane();

    KeyCache keyCache();

    Unverified unverified();

    Rag rag();

    /** OpenAI-compatible upstream model backends by the model name tenants use. */
    Map<String, Upstream> models();

    Metering metering();

    interface Db {
        @WithDefault("atrium_app")
        String appRole();
    }

    interface ControlPlane {
        @WithDefault("http://127.0.0.1:8080")
        URI url();

        /** The data plane's service key on the control plane's internal API. */
        Optional<String> serviceKey();

        @WithDefault("2s")
        Duration timeout();
    }

    /** Per client address: credentials that could not be verified (401), before 429. */
    interface Unverified {
        @WithDefault("2")
        int requestsPerSecond();

        @WithDefault("30")
        int burst();
    }

    interface KeyCache {
        /** How long a valid key's verdict is trusted before the control plane is asked again. */
        @WithDefault("30s")
        Duration ttl();

        /** How long a refusal (unknown, revoked) is remembered. */
        @WithDefault("30s")
        Duration negativeTtl();

        /** While the control plane is unreachable, how old a cached verdict may get and still be used. */
        @WithDefault("15m")
        Duration maxStaleness();

        @WithDefault("100000")
        long maxEntries();
    }

    interface Rag {
        /** The in-process embedding model: {@code all-minilm-l6-v2-q} (quantized) or {@code all-minilm-l6-v2} (fp32). */
        @WithDefault("all-minilm-l6-v2-q")
        String defaultEmbeddingModel();

        /** Documents up to this many characters are indexed within the request; larger ones become a job. */
        @WithDefault("20000")
        int synchronousIngestMaxChars();

        @WithDefault("2")
        int ingestThreads();

        /** Largest upload accepted, and largest JSON {@code text}, in bytes (UTF-8). */
        @WithDefault("20000000")
        int maxDocumentBytes();

        /** Most characters of text a document may have, as sent in JSON or as extracted from a file. */
        @WithDefault("2000000")
        int maxDocumentChars();

        /** Most pages a PDF may have. */
        @WithDefault("2000")
        int maxPdfPages();

        /** Most bytes a PDF's streams may decode to while it is parsed (a small compressed stream can inflate to gigabytes). */
        @WithDefault("134217728")
        long pdfMaxDecodedBytes();

        /** How long parsing one HTML or PDF document may take. */
        @WithDefault("30s")
        Duration parseTimeout();

        /** Threads that parse HTML and PDF documents; a document being parsed holds one. */
        @WithDefault("2")
        int parseThreads();

        /** Documents that may wait for a parse thread; beyond that, uploads get 429. */
        @WithDefault("8")
        int parseQueue();

        /** Background ingest jobs that may be queued or running in this region; beyond that, large uploads get 429. */
        @WithDefault("100")
        int maxQueuedJobs();

        /** The same, per tenant, so that one tenant cannot fill the region's queue. */
        @WithDefault("10")
        int maxQueuedJobsPerTenant();
    }

    interface Upstream {
        /** Base URL of an OpenAI-compatible API (vLLM, Ollama, OpenAI), e.g. {@code http://127.0.0.1:8000/v1}. */
        URI url();

        /** {@code chat} (served at /v1/chat/completions, used for answers) or {@code embedding} (for knowledge bases). */
        @WithDefault("chat")
        String kind();

        Optional<String> apiKey();

        /** The model name to send upstream, when it differs from the name tenants use. */
        Optional<String> upstreamModel();

        /** Another configured model to use when this one keeps failing. */
        Optional<String> fallback();

        /** Tenants allowed to use the model; empty means every tenant. */
        Optional<List<String>> tenants();

        @WithDefault("60s")
        Duration timeout();

        @WithDefault("2")
        int retries();

        @WithDefault("200ms")
        Duration initialBackoff();
    }

    /** Tenants' model deployments, and what any tenant's model calls may hold in this data plane. */
    interface Deployments {
        /** Model calls (chat, answers, upstream embeddings) one tenant may have in flight here at once; then 429. */
        @WithDefault("64")
        int maxInFlightPerTenant();

        /**
         * Whether a deployment's backend may be on the platform's own network (loopback, private, link-local): off in
         * production, on for {@code make run} (a local Ollama or vLLM) and tests. The control plane checks the same
         * when a deployment is saved; this data plane checks again before each call.
         */
        @WithDefault("false")
        boolean allowPrivateUpstreams();

        /**
         * How often what this data plane measured of running rollouts is reported to the control plane (which judges
         * them); each answer also says which rollouts changed, so a rollback reaches here within one interval.
         */
        @WithDefault("5s")
        Duration rolloutReportInterval();

        /** Shadow calls (copies of requests sent to a shadow rollout's candidate) in flight at once; more are dropped. */
        @WithDefault("8")
        int maxShadowCalls();
    }

    interface Metering {
        @WithDefault("2s")
        Duration shipInterval();

        @WithDefault("500")
        int batchSize();
    }
}
