package dev.atrium.controlplane.tenant;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.AtriumConfig;
import dev.atrium.controlplane.common.Cursor;
import dev.atrium.controlplane.common.ETags;
import dev.atrium.controlplane.common.FieldError;
import dev.atrium.controlplane.common.Page;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;
import dev.atrium.tenancy.TenantSlug;

/** Tenant lifecycle and settings. Every change is audited in the tenant's own chain, in the same transaction. */
@ApplicationScoped
public class TenantService {

    @Inject
    AuditTrail auditTrail;

    @Inject
    AtriumConfig config;



    @Inject
    Event<TenantLifecycleRequested> lifecycleRequests;

    @Inject
    Event<TenantDeleting> deleting;

    @Inject
    Event<TenantCreated> created;

    @Transactional
    public Tenant create(CreateTenantRequest request) {
        TenantSlug.violation(request.slug()).ifPresent(problem -> {
            throw ApiException.invalid("slug", problem);
        });
        Plan plan = resolvePlan(request.plan() == null ? config.tenants().defaultPlan() : request.plan());
        String residency = request.residency() == null ? config.residency().defaultZone() : request.residency();
        if (!config.residency().zones().contains(residency)) {
            throw unprocessable("residency", "unknown zone '" + residency + "'; known: " + config.residency().zones());
        }
        if (Tenant.count("slug", request.slug()) > 0) {
            throw new ApiException(ProblemType.CONFLICT, "slug '" + request.slug() + "' is already taken");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Tenant tenant = new Tenant();
        tenant.id = UUID.randomUUID();
        tenant.slug = request.slug();
        tenant.displayName = request.displayName().strip();
        tenant.plan = plan.value();
        tenant.residency = residency;
        tenant.status = TenantStatus.PROVISIONING;
        tenant.createdAt = now;
        tenant.updatedAt = now;
        tenant.persistAndFlush();
        auditTrail.record(AuditEntry.success("tenant.create").tenant(tenant.id).resource("tenant", tenant.id)
                .after(TenantView.of(tenant)));
        created.fire(new TenantCreated(tenant.id, tenant.residency, tenant.plan));
        lifecycleRequests.fire(new TenantLifecycleRequested(tenant.id));
        return tenant;
    }

    public Tenant get(UUID id) {
        return Tenant.require(id);
    }

    public Page<Tenant> list(String status, String search, Integer limit, String cursor) {
        int size = Cursor.limit(limit);
        Cursor after = Cursor.decode(cursor);
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (search != null && !search.isBlank()) {
            if (search.length() > 100) {
                throw ApiException.invalid("q", "must be at most 100 characters");
            }
            query.append(" and (lower(slug) like :q escape '\\' or lower(displayName) like :q escape '\\')");
            params.and("q", "%" + search.strip().toLowerCase(java.util.Locale.ROOT)
                    .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (status != null && !status.isBlank()) {
            query.append(" and status = :status");
            params.and("status", parseStatus(status));
        } else {
            query.append(" and status <> :deleted");
            params.and("deleted", TenantStatus.DELETED);
        }
        if (after != null) {
            query.append(" and (createdAt > :time or (createdAt = :time and id > :id))");
            params.and("time", after.time()).and("id", after.id());
        }
        List<Tenant> tenants = Tenant.<Tenant>find(query.toString(), Sort.by("createdAt").and("id"), params)
                .page(0, size).list();
        String next = tenants.size() == size
                ? new Cursor(tenants.getLast().createdAt, tenants.getLast().id).encode() : null;
        return new Page<>(tenants, next);
    }

    /** Applies a JSON merge patch; only displayName and plan can change. */
    @Transactional
    public Tenant update(UUID id, JsonNode patch, String ifMatch) {
        if (patch == null || !patch.isObject()) {
            throw new ApiException(ProblemType.VALIDATION, "body must be a JSON object (merge patch)");
        }
        Tenant tenant = lockForUpdate(id, ifMatch);
        if (tenant.status == TenantStatus.DELETING || tenant.status == TenantStatus.DELETED) {
            throw new ApiException(ProblemType.INVALID_TRANSITION, "tenant " + id + " is " + tenant.status + " and cannot be changed");
        }
        TenantView before = TenantView.of(tenant);
        List<FieldError> errors = new ArrayList<>();
        String newDisplayName = null;
        Plan newPlan = null;
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "displayName" -> {
                    if (!value.isTextual() || value.asText().isBlank()) {
                        errors.add(new FieldError("displayName", "must be a non-empty string"));
                    } else if (value.asText().length() > 200) {
                        errors.add(new FieldError("displayName", "must be at most 200 characters"));
                    } else {
                        newDisplayName = value.asText().strip();
                    }
                }
                case "plan" -> {
                    if (!value.isTextual()) {
                        errors.add(new FieldError("plan", "must be a string"));
                    } else {
                        newPlan = resolvePlan(value.asText());
                    }
                }
                case "slug", "residency", "id", "createdAt" -> errors.add(new FieldError(field.getKey(), "is immutable"));
                case "status" -> errors.add(new FieldError("status", "change it with :suspend, :resume or DELETE"));
                case "updatedAt", "quotas" -> errors.add(new FieldError(field.getKey(), "is read-only"));
                default -> errors.add(new FieldError(field.getKey(), "unknown field"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiException(ProblemType.VALIDATION, errors.stream().map(e -> e.field() + ": " + e.message())
                    .reduce((a, b) -> a + "; " + b).orElseThrow(), errors);
        }
        if (newDisplayName != null) {
            tenant.displayName = newDisplayName;
        }
        if (newPlan != null) {
            tenant.plan = newPlan.value();
        }
        return save(tenant, "tenant.update", before);
    }

    @Transactional
    public Tenant suspend(UUID id, String ifMatch) {
        return transition(id, ifMatch, TenantStatus.SUSPENDED, "tenant.suspend");
    }

    @Transactional
    public Tenant resume(UUID id, String ifMatch) {
        return transition(id, ifMatch, TenantStatus.ACTIVE, "tenant.resume");
    }

    /** Starts deletion of a suspended tenant; the lifecycle worker finishes it. */
    @Transactional
    public Tenant requestDeletion(UUID id, String ifMatch) {
        Tenant tenant = transition(id, ifMatch, TenantStatus.DELETING, "tenant.delete");
        lifecycleRequests.fire(new TenantLifecycleRequested(tenant.id));
        return tenant;
    }

    /** Moves a PROVISIONING tenant to ACTIVE or a DELETING one to DELETED once the provisioner is done. */
    @Transactional
    public void completeLifecycleStep(UUID id, TenantProvisioner provisioner) {
        Tenant tenant = Tenant.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (tenant == null) {
            return;
        }
        TenantView before = TenantView.of(tenant);
        switch (tenant.status) {
            case PROVISIONING -> {
                provisioner.provision(tenant);
                tenant.status = TenantStatus.ACTIVE;
                save(tenant, "tenant.activate", before);
            }
            case DELETING -> {
                provisioner.deprovision(tenant);
                deleting.fire(new TenantDeleting(tenant.id));
                tenant.status = TenantStatus.DELETED;
                save(tenant, "tenant.delete.complete", before);
            }
            default -> {
            }
        }
    }

    public List<UUID> pendingLifecycle() {
        return Tenant.<Tenant>list("status in ?1", List.of(TenantStatus.PROVISIONING, TenantStatus.DELETING))
                .stream().map(t -> t.id).toList();
    }

    private Tenant transition(UUID id, String ifMatch, TenantStatus target, String action) {
        Tenant tenant = lockForUpdate(id, ifMatch);
        if (!tenant.status.canMoveTo(target)) {
            String hint = target == TenantStatus.DELETING && tenant.status == TenantStatus.ACTIVE
                    ? "; suspend the tenant first" : "";
            throw new ApiException(ProblemType.INVALID_TRANSITION,
                    "tenant " + id + " is " + tenant.status + " and cannot become " + target + hint);
        }
        TenantView before = TenantView.of(tenant);
        tenant.status = target;
        return save(tenant, action, before);
    }

    private Tenant save(Tenant tenant, String action, TenantView before) {
        tenant.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        tenant.flush();
        auditTrail.record(AuditEntry.success(action).tenant(tenant.id).resource("tenant", tenant.id)
                .before(before).after(TenantView.of(tenant)));
        return tenant;
    }

    private Tenant lockForUpdate(UUID id, String ifMatch) {
        Tenant tenant = Tenant.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (tenant == null) {
            throw ApiException.notFound("tenant", id);
        }
        ETags.requireMatch(ifMatch, tenant.version);
        return tenant;
    }

    private static Plan resolvePlan(String plan) {
        return Plan.fromValue(plan).orElseThrow(() -> unprocessable("plan", "unknown plan '" + plan + "'; known: free, standard, enterprise"));
    }

    private static TenantStatus parseStatus(String status) {
        try {
            return TenantStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("status", "must be one of PROVISIONING, ACTIVE, SUSPENDED, DELETING, DELETED");
        }
    }

    private static ApiException unprocessable(String field, String message) {
        return new ApiException(ProblemType.UNPROCESSABLE, field + ": " + message, List.of(new FieldError(field, message)));
    }
}
