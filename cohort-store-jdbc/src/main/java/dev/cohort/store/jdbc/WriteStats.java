package dev.cohort.store.jdbc;

import java.time.Duration;

/**
 * What group commit achieved so far: {@code units / commits} is the average number of log writes
 * that shared one durable commit.
 *
 * @param commits database transactions committed by the writer threads
 * @param units log units made durable by them
 * @param busy total time the writers spent writing and committing
 */
public record WriteStats(long commits, long units, Duration busy) {
  public double unitsPerCommit() {
    return commits == 0 ? 0 : (double) units / commits;
  }

  public Duration averageCommit() {
    return commits == 0 ? Duration.ZERO : busy.dividedBy(commits);
  }
}
