package dev.atrium.tenancy;

import java.util.Arrays;
import java.util.Optional;

/**
 * The roles a principal can hold: two platform-wide roles (operating the platform, and reviewing what the platform
 * itself publishes) and three per-tenant roles. Reviewer rights (approving model versions, exports, legal holds)
 * come only from a compliance-officer role held by a person, never from an API key.
 */
public enum Role {
    PLATFORM_ADMIN("platform-admin"),
    PLATFORM_COMPLIANCE_OFFICER("platform-compliance-officer"),
    TENANT_ADMIN("tenant-admin"),
    TENANT_MEMBER("tenant-member"),
    COMPLIANCE_OFFICER("compliance-officer");

    private final String value;

    Role(String value) {
        this.value = value;
    }

    /** The external name used in tokens, the API and the audit trail. */
    public String value() {
        return value;
    }

    /** Roles that exist only platform-wide (from the identity provider's realm roles), never within a tenant. */
    public boolean isPlatformWide() {
        return this == PLATFORM_ADMIN || this == PLATFORM_COMPLIANCE_OFFICER;
    }

    public static Optional<Role> fromValue(String value) {
        return Arrays.stream(values()).filter(r -> r.value.equals(value)).findFirst();
    }

    @Override
    public String toString() {
        return value;
    }
}
