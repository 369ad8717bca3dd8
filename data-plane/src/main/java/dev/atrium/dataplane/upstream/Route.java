package dev.atrium.dataplane.upstream;

import dev.atrium.dataplane.common.DataPlaneConfig;

/** A configured model backend ({@code atrium.models.<name>}), by the name tenants use for it. */
public record Route(String name, DataPlaneConfig.Upstream upstream) {

    /** The model name the backend knows it by. */
    public String upstreamModel() {
        return upstream.upstreamModel().orElse(name);
    }
}
