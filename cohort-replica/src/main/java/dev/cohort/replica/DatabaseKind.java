package dev.cohort.replica;

/** The replication flavours Cohort understands. */
public enum DatabaseKind {
  /** Streaming replication; positions are WAL LSNs. */
  POSTGRESQL,
  /** GTID replication; positions are GTID lists. */
  MARIADB
}
