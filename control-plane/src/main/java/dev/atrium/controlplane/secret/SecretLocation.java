package dev.atrium.controlplane.secret;

import java.util.UUID;

/** Where a secret lives: its scope (a tenant id, or {@code platform}) and its name. */
public record SecretLocation(String scope, String name) {

    public static final String PLATFORM_SCOPE = "platform";

    public static SecretLocation of(UUID tenantId, String name) {
        return new SecretLocation(scopeOf(tenantId), name);
    }

    public static String scopeOf(UUID tenantId) {
        return tenantId == null ? PLATFORM_SCOPE : tenantId.toString();
    }
}
