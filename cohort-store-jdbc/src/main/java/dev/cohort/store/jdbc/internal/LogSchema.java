package dev.cohort.store.jdbc.internal;

import dev.cohort.jdbc.Schema;

/**
 * The log's tables, versioned. The scripts are in {@code /dev/cohort/log/sql/<database>/}; the
 * history table keeps the name the log has always used, so logs made by earlier builds (which
 * recorded version 1 there) are already current.
 */
public final class LogSchema {
  public static final String HISTORY_TABLE = "cohort_schema_version";

  private LogSchema() {}

  public static Schema schema() {
    return Schema.builder("log", LogSchema.class)
        .historyTable(HISTORY_TABLE)
        .version("create_log_tables")
        .version("console_indexes_and_audit")
        .version("attempt_history")
        .version("search_indexes")
        .version("console_sessions")
        .version("text_indexes_optional")
        .preHistoryTable("cohort_global")
        .build();
  }
}
