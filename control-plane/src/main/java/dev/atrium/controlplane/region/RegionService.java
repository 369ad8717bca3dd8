package dev.atrium.controlplane.region;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.AtriumConfig;
import dev.atrium.controlplane.common.ETags;
import dev.atrium.controlplane.common.FieldError;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.identity.ActorType;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;

/** Registers, changes and retires regions; every change is audited in the platform chain. */
@ApplicationScoped
public class RegionService {

    @Inject
    Validator validator;

    @Inject
    RegionRepository regions;

    @Inject
    AtriumConfig config;

    @Inject
    AuditTrail auditTrail;

    @Inject
    ObjectMapper json;

    @Inject
    TenantNamespaceRepository namespaces;

    @Inject
    PlatformServingRepository platformServing;

    public List<Region> list() {
        return regions.all();
    }

    public Region get(String name) {
        return regions.find(name).orElseThrow(() -> ApiException.notFound("region", name));
    }

    @Transactional
    public Region create(CreateRegionRequest request) {
        Region region = validated(request.name(), request.zone(), request.endpoint(), request.kind(), request.kubernetes(),
                request.schedulable() == null ? request.kind() == RegionKind.STATIC : request.schedulable(), true);
        requireDistinctHosts(region);
        if (!regions.insert(region)) {
            throw new ApiException(ProblemType.CONFLICT, "a region named '" + request.name() + "' already exists");
        }
        Region created = get(region.name());
        auditTrail.record(AuditEntry.success("region.create").resource("region", created.name()).after(created));
        return created;
    }

    /**
     * Registers a region the operator configured, unless one of that name exists (the configuration never overwrites
     * what the API changed). Returns true when it was registered now.
     */
    @Transactional
    public boolean registerConfigured(String name, String zone, String endpoint) {
        Region region = validated(name, zone, endpoint, RegionKind.STATIC, null, true, false);
        if (!regions.insert(region)) {
            return false;
        }
        auditTrail.record(AuditEntry.success("region.create").resource("region", name)
                .actor("system:configuration", ActorType.SYSTEM).after(get(name)));
        return true;
    }

    /**
     * A JSON merge patch of {@code endpoint}, {@code kubernetes} and {@code schedulable} (false cordons the region: its
     * tenants stay, new ones go elsewhere); name, zone and kind are fixed at creation.
     */
    @Transactional
    public Region update(String name, JsonNode patch, String ifMatch) {
        Region before = regions.lock(name).orElseThrow(() -> ApiException.notFound("region", name));
        ETags.requireMatch(ifMatch, before.version());
        if (patch == null || !patch.isObject()) {
            throw ApiException.invalid("body", "must be a JSON object");
        }
        String endpoint = before.endpoint();
        KubernetesSettings kubernetes = before.kubernetes();
        boolean kubernetesPatched = false;
        boolean schedulable = before.schedulable();
        var fields = patch.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            switch (field.getKey()) {
                case "endpoint" -> endpoint = field.getValue().isTextual() ? field.getValue().asText() : null;
                case "schedulable" -> {
                    if (!field.getValue().isBoolean()) {
                        throw invalid("schedulable", "must be true or false");
                    }
                    schedulable = field.getValue().asBoolean();
                }
                case "kubernetes" -> {
                    if (before.kind() != RegionKind.KUBERNETES) {
                        throw invalid("kubernetes", "only a kubernetes region has kubernetes settings");
                    }
                    try {
                        kubernetes = json.treeToValue(field.getValue(), KubernetesSettings.class);
                        kubernetesPatched = true;
                    } catch (Exception e) {
                        throw invalid("kubernetes", "is not valid kubernetes settings");
                    }
                }
                case "name", "zone", "kind" -> throw invalid(field.getKey(), "is fixed once the region exists");
                case "status", "statusDetail", "probedAt", "createdAt", "updatedAt" -> throw invalid(field.getKey(), "is read-only");
                default -> throw invalid(field.getKey(), "unknown field");
            }
        }
        if (before.kubernetes() != null && kubernetes != null
                && !before.kubernetes().namespacePrefix().equals(kubernetes.namespacePrefix()) && !namespaces.inRegion(name).isEmpty()) {
            throw new ApiException(ProblemType.CONFLICT, "kubernetes.namespacePrefix: tenants have namespaces in region '" + name
                    + "'; move them out before changing the prefix");
        }
        if (before.kubernetes() != null && kubernetes != null
                && !before.kubernetes().namespacePrefix().equals(kubernetes.namespacePrefix()) && platformServing.kept(name)) {
            throw new ApiException(ProblemType.CONFLICT, "kubernetes.namespacePrefix: the platform's model servers run in region '"
                    + name + "'s shared serving namespace; delete the platform's self-hosted deployments there first");
        }
        // settings stored before a rule existed are checked only when they are patched, so that a region can still be
        // cordoned or given a new endpoint meanwhile
        Region after = validated(name, before.zone(), endpoint, before.kind(), kubernetes, schedulable, kubernetesPatched);
        if (kubernetesPatched || !after.endpoint().equals(before.endpoint())) {
            requireDistinctHosts(after);
        }
        regions.save(after);
        Region saved = get(name);
        auditTrail.record(AuditEntry.success("region.update").resource("region", name).before(before).after(saved));
        return saved;
    }

    /** Only a region no tenant is placed in, and where no tenant namespace nor shared serving namespace is left, can go. */
    @Transactional
    public void delete(String name, String ifMatch) {
        Region before = regions.lock(name).orElseThrow(() -> ApiException.notFound("region", name));
        ETags.requireMatch(ifMatch, before.version());
        int placed = regions.placedTenants(name);
        if (placed > 0) {
            throw new ApiException(ProblemType.CONFLICT, placed + " tenant(s) are placed in region '" + name
                    + "'; move them first (PUT /api/v1/tenants/{id}/placement)");
        }
        int namespacesLeft = namespaces.inRegion(name).size();
        if (namespacesLeft > 0) {
            throw new ApiException(ProblemType.CONFLICT, namespacesLeft + " tenant namespace(s) in region '" + name
                    + "' are not removed yet; wait until the provisioning has removed them");
        }
        if (platformServing.kept(name)) {
            throw new ApiException(ProblemType.CONFLICT, "region '" + name + "' still has its shared serving namespace (the platform's "
                    + "model servers); delete the platform's self-hosted deployments there and wait until it is removed");
        }
        regions.delete(name);
        auditTrail.record(AuditEntry.success("region.delete").resource("region", name).before(before));
    }

    private Region validated(String name, String zone, String endpoint, RegionKind kind, KubernetesSettings kubernetes,
                             boolean schedulable, boolean checkKubernetes) {
        if (name == null || !name.matches("[a-z][a-z0-9-]{1,39}")) {
            throw invalid("name", "must be 2 to 40 lowercase letters, digits or '-', starting with a letter");
        }
        if (zone == null || !config.residency().zones().contains(zone)) {
            throw unprocessable("zone", "unknown zone '" + zone + "'; known: " + config.residency().zones());
        }
        requireEndpoint(endpoint);
        if (kind == RegionKind.KUBERNETES && kubernetes == null) {
            throw unprocessable("kubernetes", "is required for a kubernetes region");
        }
        if (kind == RegionKind.STATIC && kubernetes != null) {
            throw unprocessable("kubernetes", "only a kubernetes region has kubernetes settings");
        }
        if (kubernetes != null && checkKubernetes) {
            // a PATCH arrives as JSON, not as a @Valid body: the same constraints hold for both
            List<FieldError> violations = validator.validate(kubernetes).stream()
                    .map(violation -> new FieldError("kubernetes." + violation.getPropertyPath(), violation.getMessage()))
                    .sorted(java.util.Comparator.comparing(FieldError::field)).toList();
            if (!violations.isEmpty()) {
                throw new ApiException(ProblemType.VALIDATION, violations.getFirst().field() + ": " + violations.getFirst().message(),
                        violations);
            }
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return new Region(name, zone, endpoint.replaceAll("/+$", ""), kind, kubernetes, schedulable, 0, Region.UNKNOWN, null,
                null, now, now, 0);
    }

    /**
     * A dedicated tenant's host is {@code <slug>.<tenantDomain>}: so that no tenant can ever be given a host that is some
     * region's endpoint (and take its traffic, keys included) or another region's tenant's, a tenant domain belongs to
     * one region, no region's endpoint lies under it, and it leaves room for the longest slug.
     */
    private void requireDistinctHosts(Region region) {
        List<Region> others = regions.all().stream().filter(other -> !other.name().equals(region.name())).toList();
        String domain = region.kubernetes() == null ? null : region.kubernetes().tenantDomain();
        if (domain != null) {
            if (domain.length() + 1 + dev.atrium.tenancy.TenantSlug.MAX_LENGTH > 253
                    || java.util.Arrays.stream(domain.split("\\.")).anyMatch(label -> label.length() > 63)) {
                throw invalid("kubernetes.tenantDomain", "must leave room for '<slug>.' (labels of at most 63 characters, at most "
                        + (252 - dev.atrium.tenancy.TenantSlug.MAX_LENGTH) + " characters in all)");
            }
            for (Region other : others) {
                if (other.kubernetes() != null && domain.equals(other.kubernetes().tenantDomain())) {
                    throw new ApiException(ProblemType.CONFLICT, "kubernetes.tenantDomain: '" + domain
                            + "' is already region '" + other.name() + "''s tenant domain; each region needs its own");
                }
            }
            for (Region any : java.util.stream.Stream.concat(others.stream(), java.util.stream.Stream.of(region)).toList()) {
                if (under(hostOf(any.endpoint()), domain)) {
                    throw unprocessable("kubernetes.tenantDomain", "region '" + any.name() + "''s endpoint " + any.endpoint()
                            + " lies under '" + domain + "': a tenant could be given that host");
                }
            }
        }
        String host = hostOf(region.endpoint());
        for (Region other : others) {
            String otherDomain = other.kubernetes() == null ? null : other.kubernetes().tenantDomain();
            if (otherDomain != null && under(host, otherDomain)) {
                throw unprocessable("endpoint", "lies under region '" + other.name() + "''s tenant domain '" + otherDomain
                        + "': a tenant could be given that host");
            }
        }
    }

    private static String hostOf(String endpoint) {
        return URI.create(endpoint).getHost().toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean under(String host, String domain) {
        return host.equals(domain) || host.endsWith("." + domain);
    }

    /** The public data-plane endpoint: an absolute http(s) URL without credentials, query or fragment. */
    static void requireEndpoint(String endpoint) {
        URI uri;
        try {
            uri = endpoint == null || endpoint.length() > 500 ? null : URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
            throw invalid("endpoint", "must be an http or https URL without credentials, query or fragment (at most 500 characters)");
        }
    }

    private static ApiException invalid(String field, String message) {
        return new ApiException(ProblemType.VALIDATION, field + ": " + message, List.of(new FieldError(field, message)));
    }

    private static ApiException unprocessable(String field, String message) {
        return new ApiException(ProblemType.UNPROCESSABLE, field + ": " + message, List.of(new FieldError(field, message)));
    }

    Map<String, Integer> load() {
        return regions.primaryCounts();
    }
}
