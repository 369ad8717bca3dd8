package dev.atrium.console.api;

import java.net.http.HttpRequest;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.vaadin.flow.server.VaadinSession;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A data plane's RAG API ({@code /v1/knowledge-bases}), called as the signed-in user: the person's access token,
 * exchanged at Keycloak for one whose only audience is the data plane ({@link DataPlaneTokens}), plus the tenant in
 * {@code X-Atrium-Tenant}; the data plane has the control plane check both (the scopes follow the person's role in
 * that tenant). The token a data plane receives is no use at the control plane's public API.
 *
 * <p>Which data plane: the one that serves the session's tenant, as its placement says ({@code primary.endpoint}: the
 * region's shared data plane, or the tenant's own where it is dedicated), looked up once per tenant and session;
 * {@code atrium.data-plane.url} when there is no tenant or the placement cannot be read.
 */
@ApplicationScoped
public class DataPlane extends ApiClient {

    private static final String TENANT_ATTRIBUTE = DataPlane.class.getName() + ".tenant";
    private static final String ENDPOINT_ATTRIBUTE = DataPlane.class.getName() + ".endpoint";

    @ConfigProperty(name = "atrium.data-plane.url")
    String url;

    @jakarta.inject.Inject
    DataPlaneTokens tokens;

    @jakarta.inject.Inject
    ControlPlane controlPlane;

    @Override
    protected String bearer(String userAccessToken) {
        return tokens.exchange(userAccessToken);
    }

    @Override
    protected String baseUrl() {
        VaadinSession session = VaadinSession.getCurrent();
        Object tenant = session == null ? null : session.getAttribute(TENANT_ATTRIBUTE);
        if (tenant == null) {
            return url;
        }
        if (session.getAttribute(ENDPOINT_ATTRIBUTE) instanceof TenantEndpoint known && known.tenant().equals(tenant)) {
            return known.endpoint();
        }
        String endpoint;
        try {
            Views.Placement placement = controlPlane.get("/api/v1/tenants/" + tenant + "/placement", Views.Placement.class);
            endpoint = placement.primary() == null || placement.primary().endpoint() == null ? url : placement.primary().endpoint();
        } catch (RuntimeException e) {
            return url; // not remembered: the next call asks again
        }
        session.setAttribute(ENDPOINT_ATTRIBUTE, new TenantEndpoint(tenant, endpoint));
        return endpoint;
    }

    private record TenantEndpoint(Object tenant, String endpoint) implements java.io.Serializable {
    }

    /** The browser session's current tenant, kept there by the console session whenever it changes. */
    public static void selectTenant(VaadinSession session, UUID tenantId) {
        session.setAttribute(TENANT_ATTRIBUTE, tenantId);
    }

    @Override
    protected void decorate(HttpRequest.Builder request) {
        VaadinSession session = VaadinSession.getCurrent();
        Object tenant = session == null ? null : session.getAttribute(TENANT_ATTRIBUTE);
        if (tenant != null) {
            request.header("X-Atrium-Tenant", tenant.toString());
        }
    }
}
