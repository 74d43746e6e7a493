/**
 * The coordinator's log on JDBC. {@link dev.cohort.store.jdbc.JdbcTransactionStore#sqlite} is the
 * embedded default; PostgreSQL and MariaDB take a {@link javax.sql.DataSource} you configure.
 */
package dev.cohort.store.jdbc;
