package dev.atrium.controlplane.secret;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** What may be known about a secret without its value: name, version, who changed it and when. */
@Entity
@Table(name = "secret")
@IdClass(Secret.Key.class)
public class Secret extends PanacheEntityBase {

    @Id
    public String scope;

    @Id
    public String name;

    @Column(name = "tenant_id", updatable = false)
    public UUID tenantId;

    @Column(name = "current_version", nullable = false)
    public int currentVersion;

    @Column(nullable = false)
    public boolean generated;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    /** Composite key (scope, name). */
    public static class Key implements java.io.Serializable {
        public String scope;
        public String name;

        public Key() {
        }

        public Key(String scope, String name) {
            this.scope = scope;
            this.name = name;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && java.util.Objects.equals(scope, key.scope)
                    && java.util.Objects.equals(name, key.name);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(scope, name);
        }
    }
}
