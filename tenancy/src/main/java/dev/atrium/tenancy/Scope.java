package dev.atrium.tenancy;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an API key may do. A key carries a set of scopes; each endpoint requires one.
 * {@link #ADMIN} makes the key act as a tenant admin of its tenant.
 */
public enum Scope {
    ADMIN("admin"),
    RAG_QUERY("rag:query"),
    RAG_INGEST("rag:ingest"),
    MODELS_INVOKE("models:invoke"),
    AUDIT_READ("audit:read");

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<Scope> fromValue(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }

    /**
     * The scopes a person's roles in one tenant amount to: what their token may do at a data plane, and the most
     * they may grant to an API key they create. A tenant admin holds every scope; a member queries and invokes; a
     * compliance officer queries and reads the audit trail.
     */
    public static Set<Scope> grantedBy(Collection<Role> roles) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        if (roles.contains(Role.TENANT_ADMIN)) {
            scopes.addAll(EnumSet.allOf(Scope.class));
        }
        if (roles.contains(Role.TENANT_MEMBER)) {
            scopes.addAll(List.of(RAG_QUERY, MODELS_INVOKE));
        }
        if (roles.contains(Role.COMPLIANCE_OFFICER)) {
            scopes.addAll(List.of(RAG_QUERY, AUDIT_READ));
        }
        return scopes;
    }

    /** Parses scope names; unknown names are returned in {@code unknown} instead of failing silently. */
    public static Set<Scope> parseAll(Collection<String> values, List<String> unknown) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String v : values) {
            fromValue(v).ifPresentOrElse(scopes::add, () -> unknown.add(v));
        }
        return scopes;
    }

    @Override
    public String toString() {
        return value;
    }
}
