package dev.cohort.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The relational databases Cohort keeps its tables in. */
public enum Database {
  /** SQLite: the embedded, one-file default. */
  SQLITE("sqlite"),
  /** PostgreSQL. */
  POSTGRESQL("postgresql"),
  /** MariaDB; MySQL is detected as this too (same SQL for what Cohort does), but is not tested. */
  MARIADB("mariadb");

  private static final String SUPPORTED = "supported: PostgreSQL, MariaDB (and MySQL), SQLite";

  private final String id;

  Database(String id) {
    this.id = id;
  }

  /** The lower-case name used in resource paths, URLs and the command line, e.g. "postgresql". */
  public String id() {
    return id;
  }

  /** The database behind a connection, from its {@code getDatabaseProductName()}. */
  public static Database of(Connection connection) throws SQLException {
    return fromProductName(connection.getMetaData().getDatabaseProductName());
  }

  /**
   * The database for a JDBC {@code DatabaseMetaData.getDatabaseProductName()}; throws naming the
   * product and the supported ones when it is none of them.
   */
  public static Database fromProductName(String productName) {
    String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
    if (name.contains("postgres")) {
      return POSTGRESQL;
    }
    if (name.contains("mariadb") || name.contains("mysql")) {
      return MARIADB;
    }
    if (name.contains("sqlite")) {
      return SQLITE;
    }
    throw new IllegalArgumentException(
        "Cohort does not support database product '"
            + productName
            + "'; "
            + SUPPORTED
            + ". If it speaks one of these dialects, name it explicitly (e.g. Database.POSTGRESQL)");
  }

  /** The database a JDBC URL points at, e.g. {@code jdbc:postgresql://host/db} is POSTGRESQL. */
  public static Database fromUrl(String jdbcUrl) {
    String url = jdbcUrl == null ? "" : jdbcUrl.toLowerCase(Locale.ROOT);
    if (!url.startsWith("jdbc:")) {
      throw new IllegalArgumentException(
          "'" + jdbcUrl + "' is not a JDBC URL; it must start with jdbc:, e.g. jdbc:sqlite:log.db");
    }
    String rest = url.substring("jdbc:".length());
    String subprotocol = rest.substring(0, Math.max(rest.indexOf(':'), 0));
    return switch (subprotocol) {
      case "postgresql", "pgsql" -> POSTGRESQL;
      case "mariadb", "mysql" -> MARIADB;
      case "sqlite" -> SQLITE;
      default ->
          throw new IllegalArgumentException(
              "Cohort does not support the database of JDBC URL '"
                  + jdbcUrl
                  + "' (subprotocol '"
                  + subprotocol
                  + "'); "
                  + SUPPORTED);
    };
  }

  /** The database named {@code id} (any case), e.g. "postgresql"; for options and arguments. */
  public static Database fromId(String id) {
    String wanted = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
    for (Database d : values()) {
      if (d.id.equals(wanted)) {
        return d;
      }
    }
    if (wanted.equals("postgres") || wanted.equals("pg")) {
      return POSTGRESQL;
    }
    if (wanted.equals("mysql")) {
      return MARIADB;
    }
    throw new IllegalArgumentException(
        "unknown database '" + id + "'; use one of sqlite, postgresql, mariadb");
  }
}
