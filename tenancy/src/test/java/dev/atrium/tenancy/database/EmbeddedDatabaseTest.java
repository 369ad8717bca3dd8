package dev.atrium.tenancy.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server's roles have generated passwords, kept 0600 beside the data, and no login is trusted. */
class EmbeddedDatabaseTest {

    @TempDir
    Path work;

    @Test
    void everyLoginNeedsItsGeneratedPasswordAcrossRestarts() throws Exception {
        Path data = work.resolve("pgdata");
        Path cache = Path.of(System.getProperty("atrium.cache-dir", System.getProperty("java.io.tmpdir") + "/atrium-cache"));
        String url;
        String appPassword;
        try (EmbeddedDatabase database = EmbeddedDatabase.start(data, cache)) {
            url = database.jdbcUrl();
            appPassword = database.password(EmbeddedDatabase.APP_ROLE);
            assertThat(appPassword).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(EmbeddedDatabase.APP_ROLE);
            assertThat(database.password(EmbeddedDatabase.OWNER_ROLE)).isNotEqualTo(appPassword);
            assertThat(database.quarkusProperties()).containsEntry("quarkus.datasource.password", appPassword);
            assertLogin(url, EmbeddedDatabase.APP_ROLE, appPassword);
            assertRefused(url, EmbeddedDatabase.APP_ROLE, EmbeddedDatabase.APP_ROLE);
            assertRefused(url, "postgres", "");  // the server asks for a password: nothing is trusted
            assertRefused(url, EmbeddedDatabase.OWNER_ROLE, EmbeddedDatabase.OWNER_ROLE);
        }
        Path credentials = work.resolve(EmbeddedDatabase.CREDENTIALS_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");
        assertThat(Files.readString(data.resolve("pg_hba.conf"))).doesNotContain("trust");

        try (EmbeddedDatabase restarted = EmbeddedDatabase.start(data, cache)) {
            assertThat(restarted.password(EmbeddedDatabase.APP_ROLE)).isEqualTo(appPassword);
            assertLogin(restarted.jdbcUrl(), EmbeddedDatabase.APP_ROLE, appPassword);
            assertRefused(restarted.jdbcUrl(), "postgres", "postgres");
        }
    }

    private static void assertLogin(String url, String user, String password) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            assertThat(connection.isValid(2)).isTrue();
        }
    }

    private static void assertRefused(String url, String user, String password) {
        assertThatThrownBy(() -> DriverManager.getConnection(url, user, password).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password");
    }
}
