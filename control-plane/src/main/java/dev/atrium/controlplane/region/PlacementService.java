package dev.atrium.controlplane.region;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.ETags;
import dev.atrium.controlplane.common.FieldError;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.identity.ActorType;
import dev.atrium.controlplane.identity.CallerContext;
import dev.atrium.controlplane.tenant.Tenant;
import dev.atrium.controlplane.tenant.TenantCreated;
import dev.atrium.controlplane.tenant.TenantDeleting;
import dev.atrium.controlplane.tenant.TenantStatus;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;

/**
 * Where each tenant's data lives. A new tenant is placed, in the transaction that creates it, in the least loaded
 * schedulable region of its residency zone (fewest tenants as primary; ties by name), with no standby; a zone without
 * one refuses the creation (422). Platform admins move tenants and choose standbys, always inside the tenant's zone; every
 * change is audited in the tenant's chain.
 */
@ApplicationScoped
public class PlacementService {

    static final String SYSTEM_ACTOR = "system:placement";

    @Inject
    PlacementRepository placements;

    @Inject
    RegionRepository regions;

    @Inject
    CallerContext callerContext;

    @Inject
    AuditTrail auditTrail;

    @Inject
    TenantNamespaceRepository namespaces;

    @Inject
    jakarta.enterprise.event.Event<PlacementChanged> changed;

    void onTenantCreated(@Observes TenantCreated created) {
        place(created.tenantId(), created.residency());
    }

    /** Places a tenant that has no placement (created before regions existed); no-op when it has one. */
    @Transactional
    public Optional<Placement> placeIfUnplaced(Tenant tenant) {
        if (placements.find(tenant.id).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(place(tenant.id, tenant.residency));
    }

    private Placement place(UUID tenantId, String zone) {
        Map<String, Integer> load = regions.primaryCounts();
        Region chosen = regions.inZone(zone).stream().filter(Region::schedulable)
                .min(Comparator.comparingInt((Region region) -> load.getOrDefault(region.name(), 0)).thenComparing(Region::name))
                .orElseThrow(() -> unprocessable("residency", "no region serves zone '" + zone
                        + "' yet (or every one is cordoned); a platform admin registers one first (POST /api/v1/platform/regions)"));
        placements.upsert(tenantId, chosen.name(), List.of(), now(), SYSTEM_ACTOR);
        Placement placed = view(placements.find(tenantId).orElseThrow(), zone, null, null);
        auditTrail.record(AuditEntry.success("placement.create").tenant(tenantId).resource("placement", tenantId)
                .actor(SYSTEM_ACTOR, ActorType.SYSTEM).after(summary(placed)));
        changed.fire(new PlacementChanged(tenantId));
        return placed;
    }

    public Placement get(UUID tenantId) {
        Tenant tenant = Tenant.require(tenantId);
        return placements.find(tenantId).map(stored -> view(stored, tenant.residency, tenant.plan, tenant.slug))
                .orElseThrow(() -> ApiException.notFound("placement of tenant", tenantId));
    }

    /**
     * The regions that serve the tenant, as the internal API tells data planes: primary first, each with the endpoint
     * that serves the tenant there (its own data plane's where it is dedicated); empty when unplaced.
     */
    public List<dev.atrium.contract.PlacedRegion> servingRegions(UUID tenantId) {
        Optional<PlacementRepository.StoredPlacement> stored = placements.find(tenantId);
        if (stored.isEmpty()) {
            return List.of();
        }
        Tenant tenant = Tenant.findById(tenantId);
        List<Placement.PlacedRegion> placed = view(stored.get(), null, tenant == null ? null : tenant.plan,
                tenant == null ? null : tenant.slug).regions();
        List<dev.atrium.contract.PlacedRegion> serving = new ArrayList<>(placed.size());
        for (int i = 0; i < placed.size(); i++) {
            Placement.PlacedRegion region = placed.get(i);
            serving.add(new dev.atrium.contract.PlacedRegion(region.name(), region.endpoint(), i == 0, servedByOwn(region)));
        }
        return serving;
    }

    /** Whether the tenant's own data plane has taken over in this region (its namespace was Ready once). */
    static boolean servedByOwn(Placement.PlacedRegion region) {
        return region.tier() == IsolationTier.DEDICATED && region.provisioning() != null
                && region.provisioning().servingSince() != null;
    }

    /** Every region that may hold the tenant's data (placed now, or before a move); empty when it was never placed. */
    public List<String> everyRegionOf(UUID tenantId) {
        return placements.find(tenantId).map(PlacementRepository.StoredPlacement::everyRegion).orElse(List.of());
    }

    /** The regions that serve the tenant, primary first; empty when it is not placed. */
    public List<Placement.PlacedRegion> regionsOf(UUID tenantId) {
        return placements.find(tenantId).map(stored -> view(stored, null, null, null).regions()).orElse(List.of());
    }

    /**
     * Moves a tenant or changes its standbys. Every region must exist and be in the tenant's zone (422 otherwise);
     * the data already in a region the tenant leaves is not moved or erased by this call.
     */
    @Transactional
    public Placement put(UUID tenantId, PlacementRequest request, String ifMatch) {
        Tenant tenant = Tenant.require(tenantId);
        if (tenant.status == TenantStatus.DELETING || tenant.status == TenantStatus.DELETED) {
            throw new ApiException(ProblemType.INVALID_TRANSITION, "tenant " + tenantId + " is " + tenant.status + " and cannot be moved");
        }
        Optional<PlacementRepository.StoredPlacement> current = placements.lock(tenantId);
        current.ifPresent(stored -> ETags.requireMatch(ifMatch, stored.version()));
        List<String> wanted = new ArrayList<>();
        wanted.add(request.primary());
        wanted.addAll(request.standbys());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < wanted.size(); i++) {
            String name = wanted.get(i);
            String field = i == 0 ? "primary" : "standbys[" + (i - 1) + "]";
            if (!seen.add(name)) {
                throw unprocessable(field, "region '" + name + "' is named twice");
            }
            Region region = regions.find(name).orElseThrow(() -> unprocessable(field, "there is no region '" + name + "'"));
            if (!region.zone().equals(tenant.residency)) {
                throw unprocessable(field, "region '" + name + "' is in zone '" + region.zone() + "', outside the tenant's residency zone '"
                        + tenant.residency + "'");
            }
        }
        Placement before = current.map(stored -> view(stored, tenant.residency, null, null)).orElse(null);
        placements.upsert(tenantId, request.primary(), request.standbys(), now(), callerContext.require().actorId());
        Placement after = view(placements.find(tenantId).orElseThrow(), tenant.residency, tenant.plan, tenant.slug);
        auditTrail.record(AuditEntry.success(before != null && !before.primary().name().equals(after.primary().name())
                        ? "placement.move" : "placement.update").tenant(tenantId).resource("placement", tenantId)
                .before(before == null ? null : summary(before)).after(summary(after)));
        changed.fire(new PlacementChanged(tenantId));
        return after;
    }

    /** A deleted tenant keeps no placement (the data planes have erased its data by then). */
    void onTenantDeleting(@Observes TenantDeleting deleting) {
        placements.delete(deleting.tenantId());
    }

    /**
     * With the tenant's plan, every placed region shows the tenant's tier there and, where it is dedicated, its
     * namespace's provisioning condition; without the plan, no region does. Where the tenant is dedicated, the endpoint
     * is its own data plane's ({@code https://<slug>.<tenantDomain>}), not the region's shared one.
     */
    private Placement view(PlacementRepository.StoredPlacement stored, String zone, String plan, String slug) {
        Map<String, Region> known = new LinkedHashMap<>();
        regions.all().forEach(region -> known.put(region.name(), region));
        Map<String, TenantNamespaceRepository.TenantNamespace> provisioned = new LinkedHashMap<>();
        if (plan != null) {
            namespaces.ofTenant(stored.tenantId()).forEach(row -> provisioned.put(row.region(), row));
        }
        Placement.PlacedRegion primary = placed(known, stored.primary(), plan, slug, provisioned.get(stored.primary()));
        return new Placement(stored.tenantId(), zone, primary.tier(), primary,
                stored.standbys().stream().map(name -> placed(known, name, plan, slug, provisioned.get(name))).toList(),
                stored.updatedAt(), stored.updatedBy(), stored.version());
    }

    /**
     * A placed region as the tenant sees it. The endpoint is the tenant's own data plane's
     * ({@code https://<slug>.<tenantDomain>}) once that data plane has taken over (its namespace's first Ready), and
     * the region's shared one until then: a dedicated tenant is never without a data plane while it is provisioned.
     */
    private static Placement.PlacedRegion placed(Map<String, Region> known, String name, String plan, String slug,
                                                 TenantNamespaceRepository.TenantNamespace namespace) {
        Region region = known.get(name);
        RegionKind kind = region == null ? null : region.kind();
        IsolationTier tier = plan == null || kind == null ? null : IsolationTier.of(plan, kind);
        Placement.Provisioning provisioning = namespace == null ? null : new Placement.Provisioning(namespace.namespace(), namespace.condition(), namespace.reason(),
                namespace.message(), namespace.updatedAt(), namespace.servingSince());
        String endpoint = region == null ? null : region.endpoint();
        if (tier == IsolationTier.DEDICATED && provisioning != null && provisioning.servingSince() != null && slug != null
                && region.kubernetes() != null) {
            endpoint = region.kubernetes().tenantHost(slug).map(host -> "https://" + host).orElse(endpoint);
        }
        return new Placement.PlacedRegion(name, endpoint, region == null ? null : region.status(), kind, tier, provisioning);
    }

    private static Map<String, Object> summary(Placement placement) {
        return Map.of("primary", placement.primary().name(),
                "standbys", placement.standbys().stream().map(Placement.PlacedRegion::name).toList());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static ApiException unprocessable(String field, String message) {
        return new ApiException(ProblemType.UNPROCESSABLE, field + ": " + message, List.of(new FieldError(field, message)));
    }
}
