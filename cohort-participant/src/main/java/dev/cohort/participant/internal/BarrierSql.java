package dev.cohort.participant.internal;

import dev.cohort.jdbc.Database;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** The barrier's SQL for one database and table, and how that database reports a conflict. */
public final class BarrierSql {
  private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,50}");

  private final Database database;
  private final String table;

  public BarrierSql(Database database, String table) {
    this.table = validTable(table);
    this.database = database;
  }

  /** Returns {@code table} if it can name a barrier table; throws saying why not otherwise. */
  public static String validTable(String table) {
    if (table == null || !TABLE_NAME.matcher(table).matches()) {
      throw new IllegalArgumentException(
          "barrier table name '"
              + table
              + "' must match "
              + TABLE_NAME.pattern()
              + " (a plain SQL name, short enough for its history table <table>_version; put the"
              + " table in another schema with the connection's default schema instead)");
    }
    return table;
  }

  public Database database() {
    return database;
  }

  public String table() {
    return table;
  }

  /** Inserts one row unless its key exists; the update count says which happened (1 or 0). */
  public String insertIgnore() {
    String columns = " (gid, branch_id, op, reason, created_at) VALUES (?, ?, ?, ?, ?)";
    return switch (database) {
      case POSTGRESQL ->
          "INSERT INTO " + table + columns + " ON CONFLICT (gid, branch_id, op) DO NOTHING";
      case MARIADB -> "INSERT IGNORE INTO " + table + columns;
      case SQLITE -> "INSERT OR IGNORE INTO " + table + columns;
    };
  }

  /**
   * Reads the reason of a row the insert just found. On MariaDB a current (locking) read: a plain
   * read in REPEATABLE READ could miss a row committed after the snapshot. The insert already holds
   * a shared lock on exactly this record, so this waits for nobody.
   */
  public String selectReason() {
    String select = "SELECT reason FROM " + table + " WHERE gid = ? AND branch_id = ? AND op = ?";
    return database == Database.MARIADB ? select + " LOCK IN SHARE MODE" : select;
  }

  /** Deletes at most {@code ?2} rows created before {@code ?1} (epoch millis). */
  public String purgeBatch() {
    return switch (database) {
      case POSTGRESQL ->
          "DELETE FROM "
              + table
              + " WHERE (gid, branch_id, op) IN (SELECT gid, branch_id, op FROM "
              + table
              + " WHERE created_at < ? LIMIT ?)";
      case MARIADB -> "DELETE FROM " + table + " WHERE created_at < ? ORDER BY created_at LIMIT ?";
      case SQLITE ->
          "DELETE FROM "
              + table
              + " WHERE rowid IN (SELECT rowid FROM "
              + table
              + " WHERE created_at < ? LIMIT ?)";
    };
  }

  /**
   * Whether the database aborted the transaction because of a concurrent one, so that running it
   * again is the fix: deadlock victim, serialization failure, lock wait timeout, SQLite busy.
   */
  public boolean isConflict(Throwable failure) {
    Set<Throwable> seen = new HashSet<>();
    for (Throwable t = failure; t != null && seen.add(t); t = next(t)) {
      if (t instanceof SQLException e && isConflictItself(e)) {
        return true;
      }
    }
    return false;
  }

  private static Throwable next(Throwable t) {
    if (t instanceof SQLException e && e.getNextException() != null) {
      return e.getNextException();
    }
    return t.getCause();
  }

  private boolean isConflictItself(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    return switch (database) {
      // serialization_failure, deadlock_detected
      case POSTGRESQL -> state.equals("40001") || state.equals("40P01");
      // ER_LOCK_DEADLOCK (1213, state 40001), ER_LOCK_WAIT_TIMEOUT (1205)
      case MARIADB ->
          e instanceof SQLTransactionRollbackException
              || state.equals("40001")
              || e.getErrorCode() == 1213
              || e.getErrorCode() == 1205;
      // SQLITE_BUSY (5), SQLITE_LOCKED (6), with any extended code
      case SQLITE ->
          (e.getErrorCode() & 0xff) == 5 || (e.getErrorCode() & 0xff) == 6 || state.equals("40001");
    };
  }
}
