package dev.atrium.controlplane.apikey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.atrium.controlplane.common.AtriumConfig;
import dev.atrium.tenancy.ApiKeyHasher;

/**
 * Supplies the API-key hasher with its pepper: {@code atrium.api-keys.pepper} when configured, otherwise a
 * random 32-byte pepper generated on first start into {@code <data-dir>/api-key-pepper} (mode 0600). Losing the
 * pepper invalidates every key, so it belongs in the backup of the data directory.
 */
@ApplicationScoped
public class ApiKeyHasherProducer {

    private static final Logger LOG = Logger.getLogger(ApiKeyHasherProducer.class);

    @Produces
    @Singleton
    ApiKeyHasher apiKeyHasher(AtriumConfig config) {
        return new ApiKeyHasher(config.apiKeys().pepper()
                .map(Base64.getDecoder()::decode)
                .orElseGet(() -> pepperFile(Path.of(config.dataDir(), "api-key-pepper"))));
    }

    private static byte[] pepperFile(Path file) {
        try {
            if (Files.exists(file)) {
                return Base64.getDecoder().decode(Files.readString(file).trim());
            }
            Files.createDirectories(file.getParent());
            byte[] pepper = new byte[32];
            new SecureRandom().nextBytes(pepper);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getEncoder().encodeToString(pepper));
            LOG.infof("generated a new API-key pepper in %s", file);
            return pepper;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the API-key pepper file " + file, e);
        }
    }
}
