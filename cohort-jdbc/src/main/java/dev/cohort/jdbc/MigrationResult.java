package dev.cohort.jdbc;

/**
 * What {@link SchemaMigrator#migrate} did.
 *
 * @param fromVersion the version recorded before (0: no tables)
 * @param toVersion the version recorded now, the schema's latest
 * @param adoptedPreHistory whether tables made before the history table existed were recorded as
 *     version 1 instead of created
 */
public record MigrationResult(
    String component,
    Database database,
    int fromVersion,
    int toVersion,
    boolean adoptedPreHistory) {
  /** Whether this call changed the schema or its history. */
  public boolean changed() {
    return fromVersion != toVersion;
  }
}
