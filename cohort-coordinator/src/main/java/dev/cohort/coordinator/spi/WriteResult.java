package dev.cohort.coordinator.spi;

/** What became of a {@link LogUnit}. */
public enum WriteResult {
  /** Durable. */
  APPLIED,
  /** The compare-and-set guard saw another status: someone else moved the transaction. */
  CONFLICT,
  /** The insert guard found the gid already in the log. */
  DUPLICATE
}
