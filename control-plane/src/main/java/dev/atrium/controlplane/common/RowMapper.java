package dev.atrium.controlplane.common;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Turns the current row of a JDBC result into a value, reading its columns by label. */
@FunctionalInterface
public interface RowMapper<T> {

    T map(ResultSet rows) throws SQLException;
}
