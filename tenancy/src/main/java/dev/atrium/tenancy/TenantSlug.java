package dev.atrium.tenancy;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rules for a tenant slug: an RFC 1123 DNS label (lowercase letters, digits and hyphens, starting and ending
 * with a letter or digit), 3 to 40 characters so that {@code atrium-<slug>-<region>} still fits a Kubernetes
 * namespace name, and not one of the names the platform reserves for itself.
 */
public final class TenantSlug {

    public static final int MIN_LENGTH = 3;
    public static final int MAX_LENGTH = 40;

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Set<String> RESERVED = Set.of(
            "admin", "api", "atrium", "console", "default", "internal", "kube-system", "kube-public",
            "platform", "root", "system", "www");

    private TenantSlug() {
    }

    /** Returns why {@code slug} is not acceptable, or empty when it is. */
    public static Optional<String> violation(String slug) {
        if (slug == null || slug.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (slug.length() < MIN_LENGTH || slug.length() > MAX_LENGTH) {
            return Optional.of("must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters long");
        }
        if (!DNS_LABEL.matcher(slug).matches()) {
            return Optional.of("must be a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit");
        }
        if (slug.contains("--")) {
            return Optional.of("must not contain consecutive hyphens");
        }
        if (RESERVED.contains(slug)) {
            return Optional.of("is reserved");
        }
        return Optional.empty();
    }

    public static boolean isValid(String slug) {
        return violation(slug).isEmpty();
    }
}
