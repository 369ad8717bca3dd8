package dev.atrium.contract;

import java.util.UUID;

/**
 * The internal API a data plane calls on the control plane, authenticated with the data plane's service key. Every
 * request and response body is a record of this package; {@link Examples} holds one message of each.
 */
public final class InternalApi {

    /** {@link KeyIntrospectionRequest} in, {@link KeyIntrospection} out. */
    public static final String API_KEY_INTROSPECTION = "/internal/v1/api-keys:introspect";
    /** {@link TokenIntrospectionRequest} in, {@link KeyIntrospection} out. */
    public static final String TOKEN_INTROSPECTION = "/internal/v1/tokens:introspect";
    /** GET: a list of {@link ServableModel}. */
    public static final String SERVABLE_MODELS = "/internal/v1/tenants/{tenantId}/servable-models";
    /** GET: a list of {@link ServedDeployment}, the tenant's model deployments. */
    public static final String DEPLOYMENTS = "/internal/v1/tenants/{tenantId}/deployments";
    /**
     * POST, no body, 204: a request for this self-hosted deployment arrived (sent at most every 30 s per deployment);
     * a model server scaled to zero is started.
     */
    public static final String DEPLOYMENT_DEMAND = "/internal/v1/tenants/{tenantId}/deployments/{name}:demand";
    /** {@link RolloutReport} in, {@link RolloutStates} out: what a data plane measured of a tenant's rollouts. */
    public static final String ROLLOUT_REPORTS = "/internal/v1/tenants/{tenantId}/rollout-reports";
    /** PUT {@link ConfiguredModelReport}, 204: what a region's shared data plane is configured with. */
    public static final String CONFIGURED_MODELS = "/internal/v1/configured-models";
    /** GET: a {@link SecretValue}, the key of the platform-wide deployment {name} (the platform secret it names). */
    public static final String PLATFORM_DEPLOYMENT_KEY = "/internal/v1/platform-deployments/{name}/key";
    /** GET: a {@link SecretValue}. */
    public static final String SECRETS = "/internal/v1/tenants/{tenantId}/secrets";
    /** {@link UsageBatch} in, {@link BatchReceipt} out. */
    public static final String USAGE = "/internal/v1/usage";
    /** {@link AuditEventBatch} in, {@link BatchReceipt} out. */
    public static final String AUDIT_EVENTS = "/internal/v1/audit-events";
    /** {@link DeadLetterReport} in, {@link BatchReceipt} out. */
    public static final String DEAD_LETTERS = "/internal/v1/dead-letters";
    /** {@link ErasureVerificationRequest} in, {@link ErasureVerification} out: is this erasure command the control plane's? */
    public static final String ERASURE_VERIFICATION = "/internal/v1/erasures:verify";

    /**
     * The one call the other way: the control plane asks a data plane to erase a tenant ({@code POST}, bearer: a
     * one-time erasure token the data plane verifies at {@link #ERASURE_VERIFICATION}); {@link ErasureReceipt} out.
     */
    public static final String TENANT_ERASURE = "/internal/v1/tenants/{tenantId}:erase";

    private InternalApi() {
    }

    public static String servableModels(UUID tenantId) {
        return SERVABLE_MODELS.replace("{tenantId}", tenantId.toString());
    }

    public static String deployments(UUID tenantId) {
        return DEPLOYMENTS.replace("{tenantId}", tenantId.toString());
    }

    public static String deploymentDemand(UUID tenantId, String name) {
        return DEPLOYMENT_DEMAND.replace("{tenantId}", tenantId.toString()).replace("{name}", name);
    }

    public static String platformDeploymentKey(String name) {
        return PLATFORM_DEPLOYMENT_KEY.replace("{name}", name);
    }

    public static String rolloutReports(UUID tenantId) {
        return ROLLOUT_REPORTS.replace("{tenantId}", tenantId.toString());
    }

    public static String tenantErasure(UUID tenantId) {
        return TENANT_ERASURE.replace("{tenantId}", tenantId.toString());
    }

    /** {@code name} is a secret name as the public API accepts it (letters, digits, '.', '_' and '-'). */
    public static String secret(UUID tenantId, String name) {
        return SECRETS.replace("{tenantId}", tenantId.toString()) + "/" + name;
    }
}
