package dev.atrium.controlplane.identity;

import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import jakarta.enterprise.context.RequestScoped;

import io.quarkus.arc.Arc;

/**
 * Which tenants' rows the current request may touch in the database, enforced by PostgreSQL row-level security
 * (see {@code V4__row_level_security.sql}). Requests start unrestricted (authentication must find keys of any
 * tenant); the authorization interceptor narrows tenant principals to their own tenants before any service runs.
 * Platform code that must cross tenants (the audit trail's own appends, platform secrets) says so explicitly with
 * {@link #asPlatform}.
 */
@RequestScoped
public class TenantScope {

    public static final String ALL = "*";
    private static final ThreadLocal<Boolean> PLATFORM_OVERRIDE = new ThreadLocal<>();

    private String scope = ALL;

    /**
     * Narrows the request to the caller's tenants. Platform staff (admins, platform compliance officers) and
     * services stay unrestricted: their own rules (and a service's binding) decide which tenant they touch.
     */
    public void restrictTo(Caller caller) {
        if (caller.isPlatformAdmin() || caller.isPlatformComplianceOfficer() || caller.isService()) {
            scope = ALL;
        } else if (caller.tenantId() != null) {
            scope = caller.tenantId().toString();
        } else {
            scope = caller.memberships().keySet().stream().map(UUID::toString).sorted().collect(Collectors.joining(","));
        }
    }

    /** The setting for a connection taken from the pool right now. */
    public static String current() {
        if (Boolean.TRUE.equals(PLATFORM_OVERRIDE.get()) || !Arc.container().requestContext().isActive()) {
            return ALL;
        }
        return Arc.container().instance(TenantScope.class).get().scope;
    }

    /** Runs platform code (whose own rules decide the tenant) with unrestricted database access. */
    public static <T> T asPlatform(Supplier<T> work) {
        Boolean previous = PLATFORM_OVERRIDE.get();
        PLATFORM_OVERRIDE.set(Boolean.TRUE);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                PLATFORM_OVERRIDE.remove();
            } else {
                PLATFORM_OVERRIDE.set(previous);
            }
        }
    }
}
