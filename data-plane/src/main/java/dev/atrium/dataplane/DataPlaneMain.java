package dev.atrium.dataplane;

import java.nio.file.Path;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import dev.atrium.tenancy.database.EmbeddedDatabase;

/**
 * Starts a data plane for one region. Unless a datasource is configured, it first starts the region's embedded
 * PostgreSQL under {@code <atrium.data-dir>/data-plane/<region>/pgdata}.
 */
@QuarkusMain
public final class DataPlaneMain {

    private DataPlaneMain() {
    }

    public static void main(String... args) throws Exception {
        Config config = ConfigProvider.getConfig();
        if (config.getOptionalValue("quarkus.datasource.jdbc.url", String.class).isPresent()) {
            Quarkus.run(args);
            return;
        }
        Path dataDir = Path.of(config.getOptionalValue("atrium.data-dir", String.class).orElse(".atrium"));
        Path binaries = Path.of(config.getOptionalValue("atrium.cache-dir", String.class).orElse(dataDir.resolve("cache").toString()));
        Path pgdata = dataDir.resolve("data-plane").resolve(config.getValue("atrium.region", String.class)).resolve("pgdata");
        try (EmbeddedDatabase database = EmbeddedDatabase.start(pgdata, binaries)) {
            database.quarkusProperties().forEach(System::setProperty);
            System.out.println("Embedded PostgreSQL " + database.jdbcUrl() + " (data in " + pgdata + ")");
            Quarkus.run(args);
        }
    }
}
