package dev.atrium.controlplane.secret;

import java.time.Instant;

/** A secret as the public API shows it: never its value. */
public record SecretView(String name, int version, boolean generated, Instant createdAt, String createdBy,
                         Instant updatedAt, String updatedBy) {

    static SecretView of(Secret secret) {
        return new SecretView(secret.name, secret.currentVersion, secret.generated, secret.createdAt, secret.createdBy,
                secret.updatedAt, secret.updatedBy);
    }
}
