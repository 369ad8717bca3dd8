package dev.atrium.controlplane.region;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a region hosts data planes: {@code static}, a data-plane process already serving at the region's endpoint (one
 * per region, shared by its tenants: what {@code make run} starts), or {@code kubernetes}, a cluster where Atrium
 * provisions each dedicated tenant's namespace.
 */
public enum RegionKind {
    STATIC, KUBERNETES;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static RegionKind of(String value) {
        for (RegionKind kind : values()) {
            if (kind.value().equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("must be static or kubernetes");
    }
}
