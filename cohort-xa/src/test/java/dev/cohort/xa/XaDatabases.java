package dev.cohort.xa;

import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import javax.sql.XADataSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.xa.PGXADataSource;

/**
 * One account table in a fresh MariaDB database and one in a fresh PostgreSQL schema, both with row
 * "acct" at 100 cents, and the XA data sources over them.
 */
final class XaDatabases implements AutoCloseable {
  static final String APP_NAME = "cohort-xa-it";

  final TestServices services;
  final DatabasePair maria;
  final DatabasePair pg;

  XaDatabases(String namespace) {
    services = TestServices.load();
    maria = services.mariadb().isolated(namespace);
    pg = services.postgres().isolated(namespace);
    for (DataSource ds : List.of(maria.primary(), pg.primary())) {
      exec(ds, "CREATE TABLE account (id VARCHAR(16) PRIMARY KEY, cents BIGINT NOT NULL)");
    }
    reset();
  }

  /**
   * Rolls back prepared branches a failed test left (they would block the DELETE), then refills.
   */
  void reset() {
    for (String gid : pgPrepared()) {
      exec(pg.primary(), "ROLLBACK PREPARED '" + gid.replace("'", "''") + "'");
    }
    for (String xid : strings(maria.primary(), "XA RECOVER FORMAT='SQL'")) {
      try {
        exec(maria.primary(), "XA ROLLBACK " + xid.substring(xid.indexOf(':') + 1));
      } catch (IllegalStateException e) {
        // MariaDB answers XA_RBROLLBACK for a branch it rolled back on this very request.
      }
    }
    for (DataSource ds : List.of(maria.primary(), pg.primary())) {
      exec(ds, "DELETE FROM account");
      exec(ds, "INSERT INTO account VALUES ('acct', 100)");
    }
  }

  XADataSource mariaXa() {
    try {
      MariaDbDataSource ds = new MariaDbDataSource(maria.primaryUrl());
      ds.setUser(maria.user());
      ds.setPassword(maria.password());
      return ds;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  XADataSource pgXa() {
    PGXADataSource ds = new PGXADataSource();
    ds.setUrl(pg.primaryUrl());
    ds.setUser(pg.user());
    ds.setPassword(pg.password());
    ds.setApplicationName(APP_NAME);
    return ds;
  }

  long mariaCents() {
    return cents(maria.primary());
  }

  long pgCents() {
    return cents(pg.primary());
  }

  /** Adds {@code delta} to the account through {@code ds} (a pool inside a transaction). */
  static void add(DataSource ds, long delta) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement s =
            c.prepareStatement("UPDATE account SET cents = cents + ? WHERE id = 'acct'")) {
      s.setLong(1, delta);
      if (s.executeUpdate() != 1) {
        throw new IllegalStateException("no account row");
      }
    }
  }

  static long cents(DataSource ds) {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT cents FROM account WHERE id = 'acct'")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Kills every connection the XA pools opened to PostgreSQL: the database "goes away". */
  void killPgConnections() {
    exec(
        pg.primary(),
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
            + APP_NAME
            + "' AND pid <> pg_backend_pid()");
  }

  /** Global transaction ids PostgreSQL holds prepared in this database. */
  List<String> pgPrepared() {
    return strings(
        pg.primary(),
        "SELECT gid FROM pg_prepared_xacts WHERE database = current_database() ORDER BY gid");
  }

  /** {@code XA RECOVER} rows as {@code formatID:data}. */
  List<String> mariaPrepared() {
    return strings(maria.primary(), "XA RECOVER");
  }

  private static List<String> strings(DataSource ds, String sql) {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      boolean xaRecover = sql.startsWith("XA");
      while (rs.next()) {
        values.add(xaRecover ? rs.getString(1) + ":" + rs.getString(4) : rs.getString(1));
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static void exec(DataSource ds, String sql) {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  @Override
  public void close() {
    services.close();
  }
}
