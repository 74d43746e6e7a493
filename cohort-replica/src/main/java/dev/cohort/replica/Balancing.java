package dev.cohort.replica;

/** How a read picks among the replicas that qualify for it. */
public enum Balancing {
  /** In turn. */
  ROUND_ROBIN,
  /** In proportion to each replica's weight (smooth weighted round robin). */
  WEIGHTED,
  /** The replica with the smallest measured lag; ties in turn. */
  LEAST_LAG
}
