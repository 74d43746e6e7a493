package dev.cohort.replica.internal;

import java.time.Duration;

/**
 * Exponential backoff between {@code initial} and {@code max}. Its own small copy because this
 * module depends on no other Cohort module (users add it to any JDBC application).
 */
record Backoff(Duration initial, Duration max) {
  /** The wait after the {@code failures}-th failure in a row (1 = the first). */
  Duration after(int failures) {
    long factor = 1L << Math.min(20, Math.max(0, failures - 1));
    Duration d = initial.multipliedBy(factor);
    return d.compareTo(max) > 0 ? max : d;
  }
}
