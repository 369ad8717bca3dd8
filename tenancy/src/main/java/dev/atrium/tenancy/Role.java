package dev.atrium.tenancy;

import java.util.Arrays;
import java.util.Optional;

/** The roles a principal can hold: one platform-wide role and three per-tenant roles. */
public enum Role {
    PLATFORM_ADMIN("platform-admin"),
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

    public static Optional<Role> fromValue(String value) {
        return Arrays.stream(values()).filter(r -> r.value.equals(value)).findFirst();
    }

    @Override
    public String toString() {
        return value;
    }
}
