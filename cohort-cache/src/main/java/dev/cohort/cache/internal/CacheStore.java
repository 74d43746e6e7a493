package dev.cohort.cache.internal;

/**
 * Where entries live: one Redis string per key, {@code V<version>|<payload>} for a value or {@code
 * T<version>|<token>} for a tombstone, {@code <version>} being {@link
 * dev.cohort.cache.CacheVersion#encoded()}. The two writes are scripts, so that the version check
 * and the write are one atomic step.
 */
public interface CacheStore {
  /** The raw entry, or null. */
  String get(String key);

  /**
   * Stores a value unless a newer entry is there: {@code stored}, {@code stale:<entry>} (a
   * tombstone newer than {@code version}), {@code kept:<entry>} (a value not older), {@code
   * kind:<entry>} (the entry's version is of another kind).
   */
  String fill(String key, String version, String payload, long ttlMillis);

  /**
   * Leaves a tombstone at {@code version} unless an entry at that version or newer is there: {@code
   * tombstoned} or {@code kept:<entry>}.
   */
  String invalidate(String key, String version, String token, long ttlMillis);
}
