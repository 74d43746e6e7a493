package dev.cohort.cache;

/** What a fill did; decided atomically in Redis. */
public enum FillOutcome {
  /**
   * Stored: nothing was there, or the value replaced an older one or a tombstone it is not older
   * than.
   */
  STORED,
  /** Refused: an invalidation newer than the value's version is there (the value is stale). */
  REFUSED_STALE,
  /** Not stored: a value at the same or a newer version is already there. */
  KEPT_NEWER
}
