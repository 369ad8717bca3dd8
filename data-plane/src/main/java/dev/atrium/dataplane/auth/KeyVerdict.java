package dev.atrium.dataplane.auth;

/** The control plane's answer about one key: a principal when the key is valid, otherwise why not. */
public record KeyVerdict(TenantPrincipal principal, String reason) {

    public static KeyVerdict valid(TenantPrincipal principal) {
        return new KeyVerdict(principal, null);
    }

    public static KeyVerdict refused(String reason) {
        return new KeyVerdict(null, reason);
    }

    public boolean isValid() {
        return principal != null;
    }
}
