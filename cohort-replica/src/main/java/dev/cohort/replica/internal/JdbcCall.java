package dev.cohort.replica.internal;

import java.sql.SQLException;

/** One JDBC call on a physical object, kept to be run (again) on another one. */
@FunctionalInterface
interface JdbcCall<T, R> {
  R on(T target) throws SQLException;

  /** A call run for its effect, such as a setting to replay. */
  @FunctionalInterface
  interface Effect<T> {
    void on(T target) throws SQLException;
  }
}
