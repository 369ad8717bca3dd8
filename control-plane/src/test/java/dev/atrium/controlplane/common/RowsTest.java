package dev.atrium.controlplane.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;

/** Named row reads against the real driver: the same column must read the same through JDBC and native JPA queries. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class RowsTest {

    private static final String ROW = """
            SELECT TIMESTAMPTZ '2026-01-31 12:34:56.123456+00' AS occurred_at, CAST(NULL AS timestamptz) AS never,
                   CAST(9000000000 AS bigint) AS big, CAST(42 AS integer) AS small, CAST(NULL AS bigint) AS missing,
                   count(*) AS counted""";
    private static final Instant OCCURRED_AT = Instant.parse("2026-01-31T12:34:56.123456Z");

    @Inject
    DataSource dataSource;

    @Inject
    EntityManager entityManager;

    @Test
    void jdbcRowsReadTimestampsByLabel() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(ROW);
             ResultSet rows = query.executeQuery()) {
            assertThat(rows.next()).isTrue();
            assertThat(Rows.instant(rows, "occurred_at")).isEqualTo(OCCURRED_AT);
            assertThat(Rows.instant(rows, "never")).isNull();
        }
    }

    @Test
    void nativeQueryTuplesReadByAliasWhateverJavaTypesHibernateChose() {
        Tuple row = QuarkusTransaction.requiringNew().call(() ->
                Rows.tuple(entityManager.createNativeQuery(ROW, Tuple.class)));
        assertThat(Rows.instant(row, "occurred_at")).isEqualTo(OCCURRED_AT);
        assertThat(Rows.instant(row, "OCCURRED_AT")).as("aliases are matched ignoring case").isEqualTo(OCCURRED_AT);
        assertThat(Rows.instant(row, "never")).isNull();
        assertThat(Rows.longValue(row, "big")).isEqualTo(9_000_000_000L);
        assertThat(Rows.nullableLong(row, "big")).isEqualTo(9_000_000_000L);
        assertThat(Rows.nullableLong(row, "missing")).isNull();
        assertThat(Rows.intValue(row, "small")).isEqualTo(42);
        assertThat(Rows.longValue(row, "counted")).isEqualTo(1L);
        assertThatThrownBy(() -> row.get("no_such_column")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nativeQueryTupleListsKeepEveryRow() {
        List<Tuple> rows = QuarkusTransaction.requiringNew().call(() -> Rows.tuples(entityManager.createNativeQuery(
                "SELECT n AS sequence FROM generate_series(1, 3) n ORDER BY n", Tuple.class)));
        assertThat(rows).extracting(row -> Rows.longValue(row, "sequence")).containsExactly(1L, 2L, 3L);
    }

    @Test
    void everyTimestampTypeTheDriverMayHandBackConvertsToTheSameInstant() {
        assertThat(Timestamps.toInstant(OCCURRED_AT)).isEqualTo(OCCURRED_AT);
        assertThat(Timestamps.toInstant(OffsetDateTime.ofInstant(OCCURRED_AT, ZoneOffset.ofHours(2)))).isEqualTo(OCCURRED_AT);
        assertThat(Timestamps.toInstant(Timestamp.from(OCCURRED_AT))).isEqualTo(OCCURRED_AT);
        assertThat(Timestamps.toInstant(null)).isNull();
        assertThatThrownBy(() -> Timestamps.toInstant("2026-01-31")).isInstanceOf(IllegalStateException.class);
    }
}
