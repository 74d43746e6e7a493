package dev.cohort.jdbc;

/** What a component does with its schema when it starts. */
public enum SchemaMode {
  /** Create the tables or bring them to the latest version (under the migration lock). */
  MIGRATE,
  /**
   * Only check that the history table records the latest version; fail otherwise. For teams that
   * apply the exported scripts with their own tool (Flyway, Liquibase) and do not let services run
   * DDL.
   */
  VERIFY
}
