package dev.cohort.eventstore.internal;

import dev.cohort.jdbc.Database;

/** The statements whose syntax differs per database. */
public final class EventSql {
  private EventSql() {}

  /** Inserts a row unless its key exists; {@code columns} and {@code key} are fixed names. */
  public static String insertIfAbsent(
      Database db, String table, String columns, int params, String key) {
    String values = "(" + columns + ") VALUES (" + "?, ".repeat(params - 1) + "?)";
    return switch (db) {
      case POSTGRESQL, SQLITE ->
          "INSERT INTO " + table + " " + values + " ON CONFLICT (" + key + ") DO NOTHING";
      case MARIADB ->
          "INSERT INTO " + table + " " + values + " ON DUPLICATE KEY UPDATE " + key + " = " + key;
    };
  }
}
