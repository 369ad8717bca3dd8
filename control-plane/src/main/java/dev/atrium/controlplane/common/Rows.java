package dev.atrium.controlplane.common;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import jakarta.persistence.Query;
import jakarta.persistence.Tuple;

/**
 * Reads columns of query results by name: JDBC rows by column label, rows of native JPA queries made with
 * {@code createNativeQuery(sql, Tuple.class)} by alias. Numbers are read through {@link Number} because the Java
 * type a native query hands back for an integer column (or an aggregate over one) is the driver's choice.
 */
public final class Rows {

    private Rows() {
    }

    /** A {@code timestamptz} column, null when SQL NULL. */
    public static Instant instant(ResultSet rows, String column) throws SQLException {
        Timestamp value = rows.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    /** The rows of a native query created with {@code Tuple.class} as its result type. */
    @SuppressWarnings("unchecked")
    public static List<Tuple> tuples(Query query) {
        return (List<Tuple>) query.getResultList();
    }

    /** The only row of a native query created with {@code Tuple.class}; like {@link Query#getSingleResult()} it throws when there is none. */
    public static Tuple tuple(Query query) {
        return (Tuple) query.getSingleResult();
    }

    public static Instant instant(Tuple row, String alias) {
        return Timestamps.toInstant(row.get(alias));
    }

    public static long longValue(Tuple row, String alias) {
        return ((Number) row.get(alias)).longValue();
    }

    public static Long nullableLong(Tuple row, String alias) {
        Object value = row.get(alias);
        return value == null ? null : ((Number) value).longValue();
    }

    public static int intValue(Tuple row, String alias) {
        return ((Number) row.get(alias)).intValue();
    }
}
