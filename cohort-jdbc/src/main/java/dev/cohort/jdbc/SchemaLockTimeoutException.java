package dev.cohort.jdbc;

/**
 * Another session held the schema's migration lock longer than the lock timeout. The message names
 * that session (process id or connection id, user, host) as far as the database tells.
 */
public class SchemaLockTimeoutException extends SchemaException {
  public SchemaLockTimeoutException(
      String message, String component, Database database, Throwable cause) {
    super(message, component, database, cause);
  }
}
