package dev.atrium.controlplane.model;

import java.util.UUID;

import jakarta.ws.rs.core.Response;

import dev.atrium.controlplane.common.ApiException;

/** A version's model card as the API serves it: Markdown by default, PDF with {@code ?format=pdf}. */
final class ModelCardResponses {

    private ModelCardResponses() {
    }

    /** {@code owner}: the tenant, or null for the platform's registry. */
    static Response card(ModelRegistry registry, UUID owner, String name, String version, String format) {
        if ("pdf".equals(format)) {
            return Response.ok(ModelCardPdf.render(registry.version(owner, name, version)), "application/pdf")
                    .header("Content-Disposition", "attachment; filename=\"model-card-" + name + "-" + version + ".pdf\"").build();
        }
        if (format != null && !"markdown".equals(format)) {
            throw ApiException.invalid("format", "must be markdown or pdf");
        }
        return Response.ok(registry.cardMarkdown(owner, name, version), "text/markdown").build();
    }
}
