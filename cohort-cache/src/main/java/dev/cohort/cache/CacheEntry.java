package dev.cohort.cache;

import dev.cohort.replica.ConsistencyToken;

/** What Redis holds for a key. */
public sealed interface CacheEntry<V> {
  /** Nothing: never filled, expired, or evicted. */
  record Absent<V>() implements CacheEntry<V> {}

  /** A value read at {@code version}. */
  record Value<V>(V value, CacheVersion version) implements CacheEntry<V> {}

  /**
   * An invalidation: a writer committed {@code version}; {@code writerToken} is its session's
   * read-your-writes token (empty when it wrote through no routing data source).
   */
  record Tombstone<V>(CacheVersion version, ConsistencyToken writerToken)
      implements CacheEntry<V> {}
}
