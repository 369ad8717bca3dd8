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
 */
@ApplicationScoped
public class DataPlane extends ApiClient {

    private static final String TENANT_ATTRIBUTE = DataPlane.class.getName() + ".tenant";

    @ConfigProperty(name = "atrium.data-plane.url")
    String url;

    @jakarta.inject.Inject
    DataPlaneTokens tokens;

    @Override
    protected String bearer(String userAccessToken) {
        return tokens.exchange(userAccessToken);
    }

    @Override
    protected String baseUrl() {
        return url;
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
