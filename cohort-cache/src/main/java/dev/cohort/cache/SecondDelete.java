package dev.cohort.cache;

import dev.cohort.replica.LagDistribution;
import dev.cohort.replica.RoutingDataSource;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * When the delayed second invalidation of a write runs (the "delayed double delete"): after the
 * replicas have most likely applied the write, so that a value a lagging replica served in between
 * is removed. With version-guarded fills it is a second line of defence (for writers that fill
 * without the guard, or a tombstone evicted under memory pressure).
 */
@FunctionalInterface
public interface SecondDelete {
  /** The p99 of the measured lag. */
  double DEFAULT_PERCENTILE = 99;

  /** Twice the p99: a write is usually applied well within it. */
  double DEFAULT_FACTOR = 2;

  /** Never more than this, however far behind a replica is (it leaves the rotation then). */
  Duration DEFAULT_CAP = Duration.ofSeconds(2);

  /** The delay for the write being invalidated now; zero means no second delete. */
  Duration delay();

  /** No second delete. */
  static SecondDelete none() {
    return () -> Duration.ZERO;
  }

  /** A constant delay (what the classic recipe does; prefer {@link #fromLag}). */
  static SecondDelete fixed(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("second delete delay must not be negative, got " + delay);
    }
    return () -> delay;
  }

  /** The replicas' measured lag: p99 × 2, at most 2 s. */
  static SecondDelete fromLag(RoutingDataSource db) {
    return fromLag(db::lagDistribution, DEFAULT_PERCENTILE, DEFAULT_FACTOR, DEFAULT_CAP);
  }

  /**
   * {@code percentile} of the lag distribution × {@code factor}, at most {@code cap}, read afresh
   * for each write.
   */
  static SecondDelete fromLag(
      Supplier<LagDistribution> lag, double percentile, double factor, Duration cap) {
    Objects.requireNonNull(lag, "lag");
    Objects.requireNonNull(cap, "cap");
    if (!(factor >= 1)) {
      throw new IllegalArgumentException(
          "second delete factor must be 1 or more (a multiple of the lag), got " + factor);
    }
    if (cap.isNegative() || cap.isZero()) {
      throw new IllegalArgumentException("second delete cap must be positive, got " + cap);
    }
    LagDistribution.EMPTY.percentile(percentile); // validates it now, not at the first write
    return () -> {
      long nanos = (long) (lag.get().percentile(percentile).toNanos() * factor);
      Duration d = Duration.ofNanos(nanos);
      return d.compareTo(cap) > 0 ? cap : d;
    };
  }
}
