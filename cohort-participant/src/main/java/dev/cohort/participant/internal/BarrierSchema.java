package dev.cohort.participant.internal;

import dev.cohort.jdbc.Schema;

/**
 * The barrier table, versioned; scripts in {@code /dev/cohort/barrier/sql/<database>/}, the table
 * name a placeholder. Each barrier table has its own history table next to it, {@code
 * <table>_version}, so that it never meets the service's own migration history.
 */
public final class BarrierSchema {
  private BarrierSchema() {}

  public static Schema schema(String table) {
    return Schema.builder("barrier", BarrierSchema.class)
        .historyTable(table + "_version")
        .version("create_barrier_table")
        .placeholder("table", table)
        // Barrier tables made before the history existed are version 1 as they are.
        .preHistoryTable(table)
        .build();
  }
}
