package dev.cohort.jdbc;

/** A schema could not be migrated or is not at the version this Cohort needs. */
public class SchemaException extends RuntimeException {
  private final String component;
  private final Database database;

  public SchemaException(String message, String component, Database database, Throwable cause) {
    super(message, cause);
    this.component = component;
    this.database = database;
  }

  /** The schema's component, e.g. "log". */
  public String component() {
    return component;
  }

  public Database database() {
    return database;
  }
}
