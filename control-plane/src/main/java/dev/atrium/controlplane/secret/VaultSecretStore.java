package dev.atrium.controlplane.secret;

import java.util.Collection;
import java.util.Map;

import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.LogicalResponse;

/**
 * HashiCorp Vault KV v2 through the jopenlibs Vault driver. Values live at
 * {@code <mount>/data/<prefix>/<scope>/<name>} (for a tenant: {@code secret/data/atrium/tenants/<tenant-id>/<name>}),
 * versioned by Vault; Vault namespaces and token or AppRole authentication are supported. An expired token
 * (403) triggers one AppRole re-login and a retry.
 */
public class VaultSecretStore implements SecretStore {

    private final String mount;
    private final String tenantPrefix;
    private final String platformPrefix;
    private final String address;
    private final String namespace;
    private final int mountDepth;
    private final AppRole appRole;
    private volatile Vault vault;

    /** AppRole credentials; null when a static token is used. */
    public record AppRole(String path, String roleId, String secretId) {

        @Override
        public String toString() {
            return "AppRole[path=" + path + ", roleId=" + roleId + ", secretId=(redacted)]";
        }
    }

    public VaultSecretStore(String address, String namespace, String mount, String pathPrefix, String token, AppRole appRole) {
        this.mount = trimSlashes(mount);
        this.tenantPrefix = trimSlashes(pathPrefix) + "/tenants";
        this.platformPrefix = trimSlashes(pathPrefix) + "/platform";
        this.appRole = appRole;
        this.address = address;
        this.namespace = namespace;
        this.mountDepth = this.mount.split("/").length;
        this.vault = connect(token);
    }

    @Override
    public String backend() {
        return "vault";
    }

    @Override
    public int write(SecretLocation location, String value) {
        LogicalResponse response = call(() -> vault.logical().write(path(location), Map.of("value", value)));
        // KV v2 answers a write with the new version's metadata as "data"
        String version = response.getData().get("version");
        if (version == null) {
            throw new SecretStoreException("Vault did not report the version it stored");
        }
        return Integer.parseInt(version);
    }

    @Override
    public boolean transactional() {
        return false;
    }

    @Override
    public void discard(SecretLocation location, int version) {
        call(() -> vault.logical().destroy(path(location), new int[] {version}));
    }

    @Override
    public String read(SecretLocation location, int version) {
        LogicalResponse response = call(() -> vault.logical().read(path(location), true, version));
        String value = response.getData().get("value");
        if (value == null) {
            throw new SecretStoreException("Vault returned no value for " + location.name() + " version " + version);
        }
        return value;
    }

    @Override
    public void softDelete(SecretLocation location, int upToVersion) {
        int[] versions = new int[upToVersion];
        for (int i = 0; i < upToVersion; i++) {
            versions[i] = i + 1;
        }
        call(() -> vault.logical().delete(path(location), versions));
    }

    @Override
    public void destroy(SecretLocation location) {
        // KV v2: deleting the metadata removes every version permanently
        call(() -> vault.logical().delete(path(location)));
    }

    @Override
    public void destroyScope(String scope, Collection<String> names) {
        for (String name : names) {
            destroy(new SecretLocation(scope, name));
        }
    }

    @Override
    public MasterKeyRotation rotateMasterKey() {
        throw new UnsupportedOperationException("Vault manages its own encryption keys: use `vault operator rotate`");
    }

    String path(SecretLocation location) {
        String prefix = SecretLocation.PLATFORM_SCOPE.equals(location.scope()) ? platformPrefix
                : tenantPrefix + "/" + location.scope();
        return mount + "/" + prefix + "/" + location.name();
    }

    private Vault connect(String token) {
        try {
            String effectiveToken = token;
            if (appRole != null) {
                Vault anonymous = Vault.create(config(null));
                effectiveToken = anonymous.auth().loginByAppRole(appRole.path(), appRole.roleId(), appRole.secretId())
                        .getAuthClientToken();
            }
            return Vault.create(config(effectiveToken));
        } catch (VaultException e) {
            throw new SecretStoreException("cannot authenticate to Vault (HTTP " + e.getHttpStatusCode() + ")", e);
        }
    }

    private VaultConfig config(String token) throws VaultException {
        VaultConfig config = new VaultConfig().address(address).engineVersion(2).prefixPathDepth(mountDepth)
                .openTimeout(5).readTimeout(10);
        if (namespace != null && !namespace.isBlank()) {
            config.nameSpace(namespace);
        }
        if (token != null) {
            config.token(token);
        }
        return config.build();
    }

    private LogicalResponse call(VaultCall call) {
        try {
            return checked(call.run());
        } catch (VaultException e) {
            if (e.getHttpStatusCode() == 403 && appRole != null) {
                vault = connect(null);
                try {
                    return checked(call.run());
                } catch (VaultException retry) {
                    throw failure(retry);
                }
            }
            throw failure(e);
        }
    }

    private static LogicalResponse checked(LogicalResponse response) throws VaultException {
        int status = response.getRestResponse().getStatus();
        if (status >= 400) {
            throw new VaultException("Vault answered HTTP " + status, status);
        }
        return response;
    }

    private static SecretStoreException failure(VaultException e) {
        return new SecretStoreException("Vault request failed (HTTP " + e.getHttpStatusCode() + ")", e);
    }

    private static String trimSlashes(String value) {
        return value.replaceAll("^/+|/+$", "");
    }

    @FunctionalInterface
    private interface VaultCall {
        LogicalResponse run() throws VaultException;
    }
}
