package dev.cohort.participant;

import java.util.Locale;

/**
 * The SQL flavour of the participant's database. Detected from the JDBC metadata unless set on the
 * builder.
 */
public enum BarrierDialect {
  /** PostgreSQL: {@code INSERT ... ON CONFLICT DO NOTHING}. */
  POSTGRESQL,
  /** MariaDB (MySQL is detected as this too, but is not tested): {@code INSERT IGNORE}. */
  MARIADB,
  /** SQLite: {@code INSERT OR IGNORE}. */
  SQLITE;

  /**
   * The dialect for a JDBC {@code DatabaseMetaData.getDatabaseProductName()}; throws naming the
   * product when it is not supported.
   */
  public static BarrierDialect fromProductName(String productName) {
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
        "the barrier does not know database '"
            + productName
            + "'; supported: PostgreSQL, MariaDB, SQLite. If it speaks one of these dialects, set"
            + " it with Barrier.builder(dataSource).dialect(...)");
  }
}
