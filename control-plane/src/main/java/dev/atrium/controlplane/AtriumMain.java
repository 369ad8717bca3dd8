package dev.atrium.controlplane;

import java.nio.file.Path;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.eclipse.microprofile.config.ConfigProvider;

import dev.atrium.tenancy.database.EmbeddedDatabase;

/**
 * Starts the control plane. Unless a datasource is configured (QUARKUS_DATASOURCE_JDBC_URL or
 * quarkus.datasource.jdbc.url), it first starts an embedded PostgreSQL whose data lives under
 * {@code <atrium.data-dir>/control-plane/pgdata}, and stops it again when the application exits.
 */
@QuarkusMain
public final class AtriumMain {

    private AtriumMain() {
    }

    public static void main(String... args) throws Exception {
        if (ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.jdbc.url", String.class).isPresent()) {
            Quarkus.run(args);
            return;
        }
        Path dataDir = Path.of(ConfigProvider.getConfig().getOptionalValue("atrium.data-dir", String.class).orElse(".atrium"));
        Path binaries = Path.of(ConfigProvider.getConfig().getOptionalValue("atrium.cache-dir", String.class)
                .orElse(dataDir.resolve("cache").toString()));
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir.resolve("control-plane/pgdata"), binaries)) {
            database.quarkusProperties().forEach(System::setProperty);
            System.out.println("Embedded PostgreSQL " + database.jdbcUrl() + " (data in " + dataDir.resolve("control-plane/pgdata") + ")");
            Quarkus.run(args);
        }
    }
}
