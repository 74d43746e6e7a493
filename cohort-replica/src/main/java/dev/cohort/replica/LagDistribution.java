package dev.cohort.replica;

import java.time.Duration;
import java.util.Arrays;

/**
 * The replicas' recently measured lag times (how long ago the primary was where a replica is), as
 * an immutable snapshot: the last {@value #WINDOW} measurements of every replica, one per probe.
 * Callers that must outwait replication (a cache's delayed second delete) size their wait from a
 * high percentile of it rather than from a constant.
 */
public final class LagDistribution {
  /** How many of the most recent measurements a snapshot keeps. */
  public static final int WINDOW = 1024;

  public static final LagDistribution EMPTY = new LagDistribution(new long[0]);

  private final long[] sortedNanos;

  private LagDistribution(long[] sortedNanos) {
    this.sortedNanos = sortedNanos;
  }

  /** A distribution of the given lag times (nanoseconds, any order); negative values are zero. */
  public static LagDistribution ofNanos(long... nanos) {
    long[] copy = Arrays.stream(nanos).map(n -> Math.max(0, n)).toArray();
    Arrays.sort(copy);
    return new LagDistribution(copy);
  }

  /** How many measurements it holds. */
  public int sampleCount() {
    return sortedNanos.length;
  }

  /**
   * The lag that {@code percent} per cent of the measurements do not exceed (nearest rank), or zero
   * when nothing was measured yet.
   *
   * @throws IllegalArgumentException when {@code percent} is not in (0, 100]
   */
  public Duration percentile(double percent) {
    if (!(percent > 0 && percent <= 100)) {
      throw new IllegalArgumentException(
          "percentile must be in (0, 100], got " + percent + "; e.g. 99 for the p99");
    }
    if (sortedNanos.length == 0) {
      return Duration.ZERO;
    }
    int rank = (int) Math.ceil(percent / 100 * sortedNanos.length);
    return Duration.ofNanos(sortedNanos[Math.max(0, rank - 1)]);
  }

  /** The largest measurement, or zero. */
  public Duration max() {
    return sortedNanos.length == 0
        ? Duration.ZERO
        : Duration.ofNanos(sortedNanos[sortedNanos.length - 1]);
  }

  @Override
  public String toString() {
    return "LagDistribution[samples="
        + sortedNanos.length
        + ", p50="
        + (sortedNanos.length == 0 ? Duration.ZERO : percentile(50))
        + ", p99="
        + (sortedNanos.length == 0 ? Duration.ZERO : percentile(99))
        + ", max="
        + max()
        + "]";
  }
}
