package dev.cohort.store.jdbc.internal;

import dev.cohort.jdbc.Database;
import java.sql.SQLException;

/** What differs between the databases: column types, row locking, duplicate-key errors. */
public record Dialect(Database database) {
  /** A column for free text (payloads, errors); MariaDB's TEXT stops at 64 KiB. */
  String textType() {
    return database == Database.MARIADB ? "LONGTEXT" : "TEXT";
  }

  /** Appended to the claim query so that engines sharing the log skip each other's rows. */
  String lockDueRows() {
    return database == Database.SQLITE ? "" : " FOR UPDATE SKIP LOCKED";
  }

  /**
   * Run at the start of every group commit, in its transaction; null for none. PostgreSQL: the
   * flush's multi-row compare-and-set joins a VALUES list to the log by gid, and its plan is cached
   * with the statement. Planned while the log was small (a fresh log, the first minutes of a
   * deployment), a sequential scan (under a hash join or a nested loop) is cheapest and then stays
   * cached as the table grows: measured on a fresh benchmark log, 11.7 million rows read by 2,050
   * scans in 35 s and half of PostgreSQL's CPU. A batch is at most a few hundred rows keyed by the
   * primary key, for which a nested loop over the index is right at any table size.
   */
  String flushSettings() {
    return database == Database.POSTGRESQL
        ? "SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off;"
            + " SET LOCAL enable_mergejoin = off"
        : null;
  }

  /**
   * Whether executeBatch reports a row count per statement. MariaDB's connector may answer
   * SUCCESS_NO_INFO for a batch, and a compare-and-set needs the count.
   */
  boolean batchCountsReliable() {
    return database != Database.MARIADB;
  }

  boolean isDuplicateKey(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        if (state != null && state.startsWith("23")) {
          return true;
        }
        // SQLite: SQLITE_CONSTRAINT (19) and its extended primary-key / unique codes.
        if (database == Database.SQLITE
            && (s.getErrorCode() == 19 || s.getErrorCode() == 1555 || s.getErrorCode() == 2067)) {
          return true;
        }
      }
    }
    return false;
  }
}
