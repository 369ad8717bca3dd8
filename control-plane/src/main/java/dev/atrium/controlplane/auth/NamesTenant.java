package dev.atrium.controlplane.auth;

/** A request body that says which tenant the operation is about (the raw id as sent, or {@code platform}). */
public interface NamesTenant {

    String tenantId();
}
