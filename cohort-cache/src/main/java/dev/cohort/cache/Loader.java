package dev.cohort.cache;

/** Reads one key's value from the database on a miss. */
@FunctionalInterface
public interface Loader<V> {
  /**
   * Returns the value with the version it was read at, or null when there is none (nothing is
   * cached then).
   */
  Versioned<V> load(String key) throws Exception;
}
