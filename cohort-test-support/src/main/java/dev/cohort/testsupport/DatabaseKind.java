package dev.cohort.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The relational databases Cohort's tests run on, with what differs between them for a test:
 * namespaces and leftover prepared transactions. Not {@code dev.cohort.jdbc.Database}: this module
 * sits below cohort-jdbc (whose own tests use it), so it cannot depend on it, and the operations
 * here are for tests only.
 */
public enum DatabaseKind {
  POSTGRES {
    @Override
    List<String> recreateNamespaceSql(String name) {
      return List.of("DROP SCHEMA IF EXISTS " + name + " CASCADE", "CREATE SCHEMA " + name);
    }

    @Override
    String urlFor(String baseUrl, String name) {
      return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    @Override
    List<String> leftoverPreparedRollbacks(Connection c) throws SQLException {
      return column(
          c,
          "SELECT 'ROLLBACK PREPARED ''' || replace(gid, '''', '''''') || ''''"
              + " FROM pg_prepared_xacts WHERE database = current_database()");
    }
  },
  MARIADB {
    @Override
    List<String> recreateNamespaceSql(String name) {
      return List.of("DROP DATABASE IF EXISTS " + name, "CREATE DATABASE " + name);
    }

    @Override
    String urlFor(String baseUrl, String name) {
      int query = baseUrl.indexOf('?');
      String path = query < 0 ? baseUrl : baseUrl.substring(0, query);
      String rest = query < 0 ? "" : baseUrl.substring(query);
      return path.substring(0, path.lastIndexOf('/') + 1) + name + rest;
    }

    @Override
    List<String> leftoverPreparedRollbacks(Connection c) throws SQLException {
      List<String> rollbacks = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("XA RECOVER FORMAT='SQL'")) {
        while (rs.next()) {
          rollbacks.add("XA ROLLBACK " + rs.getString("data"));
        }
      }
      return rollbacks;
    }
  };

  /** The statements that drop and create the namespace a test works in. */
  abstract List<String> recreateNamespaceSql(String name);

  /** The JDBC URL whose connections work in the given namespace. */
  abstract String urlFor(String baseUrl, String name);

  /** Statements that roll back the prepared (XA) transactions left behind in this database. */
  abstract List<String> leftoverPreparedRollbacks(Connection c) throws SQLException;

  static List<String> column(Connection c, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }
}
