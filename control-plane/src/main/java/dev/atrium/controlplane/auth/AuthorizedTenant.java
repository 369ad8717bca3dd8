package dev.atrium.controlplane.auth;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;

/**
 * The tenant the current operation is about, as {@link AuthorizationInterceptor} parsed and authorized it: resources
 * use it instead of parsing the raw parameter again. {@link #platformChain()} is true for operations on the
 * platform's own audit chain.
 */
@RequestScoped
public class AuthorizedTenant {

    private UUID tenant;
    private boolean platformChain;

    void set(UUID tenant, boolean platformChain) {
        this.tenant = tenant;
        this.platformChain = platformChain;
    }

    /** The tenant; only for operations whose access level requires one. */
    public UUID id() {
        if (tenant == null) {
            throw new IllegalStateException("this operation was authorized without a tenant");
        }
        return tenant;
    }

    public Optional<UUID> optional() {
        return Optional.ofNullable(tenant);
    }

    public boolean platformChain() {
        return platformChain;
    }
}
