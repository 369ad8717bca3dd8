package dev.atrium.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * Both planes enforce row scopes with the same SQL (the token check, the key table, the policy rewrite): one
 * mechanism, kept identical in the two migrations that install it.
 */
class RowScopeTokensTest {

    private static final String START = "CREATE TABLE atrium_scope_key";
    private static final String END = "-- The per-row helper stays safe";

    @Test
    void bothPlanesInstallTheSameRowScopeMechanism() throws Exception {
        String controlPlane = shared(Path.of("src/main/resources/db/migration/V19__row_scope_tokens.sql"));
        String dataPlane = shared(Path.of("../data-plane/src/main/resources/db/migration/V10__row_scope_tokens.sql"));
        assertThat(controlPlane).contains("atrium_scope()", "pg_backend_pid()", "session_user = current_user");
        assertThat(dataPlane).isEqualTo(controlPlane);
    }

    private static String shared(Path migration) throws Exception {
        String sql = Files.readString(migration);
        return sql.substring(sql.indexOf(START), sql.indexOf(END));
    }
}
