package dev.atrium.controlplane.provisioning;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;

/**
 * A Kubernetes region's API server and the credentials Atrium uses there, from the region's own settings (never from
 * the control plane's application configuration, the local kubeconfig or a service account). Credentials are redacted
 * from {@link #toString()}.
 *
 * <p>A kubeconfig may carry only inline data: {@code exec} and {@code auth-provider} plugins (which would run a command
 * on the control plane's host) and file references (which would read its files) are refused. Plain {@code http} is
 * accepted only for a loopback address (a local simulation or {@code kubectl proxy}).
 *
 * @param caData the API server's CA certificate, base64-encoded PEM as in a kubeconfig's
 *               {@code certificate-authority-data}; null to use the JVM's trust store
 */
public record KubernetesTarget(String region, String apiServerUrl, Credentials credentials, String caData,
        String namespacePrefix) {

    /** How long to wait to connect and for one request; the reconciler, not the client, retries. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    /** The name under which Fabric8 installs its HttpLoggingInterceptor. */
    private static final String HTTP_BODY_LOGGING = "HttpLogging";

    public KubernetesTarget {
        KubernetesNames.labelValue("region", region);
        if (credentials == null) {
            throw new InvalidSpecException("credentials are required");
        }
        if (credentials instanceof Kubeconfig kubeconfig) {
            apiServerUrl = kubeconfig.server();
        }
        apiServerUrl(apiServerUrl);
        TenantNamespaceSpec.namespacePrefix(namespacePrefix);
    }

    public static KubernetesTarget withToken(String region, String apiServerUrl, SecretValue token, String caData,
            String namespacePrefix) {
        return new KubernetesTarget(region, apiServerUrl, new BearerToken(token), caData, namespacePrefix);
    }

    public static KubernetesTarget fromKubeconfig(String region, SecretValue kubeconfig, String namespacePrefix) {
        return new KubernetesTarget(region, null, Kubeconfig.parse(kubeconfig), null, namespacePrefix);
    }

    /** A new client for this region; the caller closes it. */
    public KubernetesClient connect() {
        Config config = switch (credentials) {
            case BearerToken token -> new ConfigBuilder(Config.empty())
                    .withMasterUrl(apiServerUrl)
                    .withOauthToken(token.token().reveal())
                    .withCaCertData(caData)
                    .build();
            case Kubeconfig kubeconfig -> Config.fromKubeconfig(kubeconfig.text().reveal());
        };
        config.setRequestRetryBackoffLimit(0);
        config.setConnectionTimeout((int) CONNECT_TIMEOUT.toMillis());
        config.setRequestTimeout((int) REQUEST_TIMEOUT.toMillis());
        config.setWatchReconnectInterval(1000);
        return new KubernetesClientBuilder()
                .withConfig(config)
                // Fabric8 logs whole request and response bodies (Secrets included) when its HTTP logger is at TRACE
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor(HTTP_BODY_LOGGING, null))
                .build();
    }

    @Override
    public String toString() {
        return "KubernetesTarget[region=" + region + ", apiServerUrl=" + apiServerUrl + ", credentials="
                + credentials.getClass().getSimpleName() + "[redacted], namespacePrefix=" + namespacePrefix + "]";
    }

    private static void apiServerUrl(String url) {
        KubernetesNames.require("apiServerUrl", url);
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null) {
                throw new InvalidSpecException("apiServerUrl must be an absolute URL: " + url);
            }
            if ("http".equals(uri.getScheme()) && !isLoopback(uri.getHost())) {
                throw new InvalidSpecException("apiServerUrl must use https (http only for a loopback address): " + url);
            }
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw new InvalidSpecException("apiServerUrl must use https: " + url);
            }
        } catch (URISyntaxException e) {
            throw new InvalidSpecException("apiServerUrl is not a URL: " + e.getMessage());
        }
    }

    private static boolean isLoopback(String host) {
        if ("localhost".equals(host)) {
            return true;
        }
        if (!host.matches("[0-9.]+|\\[[0-9a-fA-F:]+]")) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** How Atrium authenticates to the region's API server. */
    public sealed interface Credentials permits BearerToken, Kubeconfig {
    }

    /** A service account token (or any bearer token) of Atrium's own identity in the cluster. */
    public record BearerToken(SecretValue token) implements Credentials {
        public BearerToken {
            if (token == null) {
                throw new InvalidSpecException("token is required");
            }
        }
    }

    /** A kubeconfig with inline credentials; its current context selects the cluster and user. */
    public record Kubeconfig(SecretValue text, String server) implements Credentials {

        static Kubeconfig parse(SecretValue text) {
            if (text == null) {
                throw new InvalidSpecException("kubeconfig is required");
            }
            io.fabric8.kubernetes.api.model.Config parsed;
            try {
                parsed = KubeConfigUtils.parseConfigFromString(text.reveal());
            } catch (RuntimeException e) {
                throw new InvalidSpecException("kubeconfig could not be read as YAML");
            }
            if (parsed == null || parsed.getCurrentContext() == null || parsed.getContexts() == null) {
                throw new InvalidSpecException("kubeconfig needs a current-context");
            }
            for (NamedAuthInfo user : parsed.getUsers() == null ? List.<NamedAuthInfo>of() : parsed.getUsers()) {
                AuthInfo auth = user.getUser();
                if (auth == null) {
                    continue;
                }
                if (auth.getExec() != null || auth.getAuthProvider() != null) {
                    throw new InvalidSpecException("kubeconfig user " + user.getName()
                            + " uses an exec or auth-provider plugin; only inline tokens or certificates are accepted");
                }
                if (auth.getClientCertificate() != null || auth.getClientKey() != null || auth.getTokenFile() != null) {
                    throw new InvalidSpecException("kubeconfig user " + user.getName()
                            + " refers to files; only inline data is accepted");
                }
            }
            String clusterName = parsed.getContexts().stream()
                    .filter(context -> parsed.getCurrentContext().equals(context.getName()))
                    .findFirst()
                    .orElseThrow(() -> new InvalidSpecException("kubeconfig's current-context is not defined"))
                    .getContext().getCluster();
            Cluster cluster = parsed.getClusters().stream()
                    .filter(named -> named.getName().equals(clusterName))
                    .map(NamedCluster::getCluster)
                    .findFirst()
                    .orElseThrow(() -> new InvalidSpecException("kubeconfig's cluster " + clusterName + " is not defined"));
            if (cluster.getCertificateAuthority() != null) {
                throw new InvalidSpecException("kubeconfig cluster " + clusterName
                        + " refers to a CA file; use certificate-authority-data");
            }
            return new Kubeconfig(text, cluster.getServer());
        }

        @Override
        public String toString() {
            return "Kubeconfig[redacted, server=" + server + "]";
        }
    }
}
