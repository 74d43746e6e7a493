package dev.cohort.coordinator.internal;

import dev.cohort.coordinator.CoordinatorOptions;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: attempt n waits {@code min(cap, initial * multiplier^(n-1))},
 * shortened by a random fraction up to {@code jitter} so that many transactions failing together do
 * not retry together.
 */
public final class Backoff {
  private final CoordinatorOptions options;
  private final RandomGenerator random;

  public Backoff(CoordinatorOptions options, RandomGenerator random) {
    this.options = options;
    this.random = random;
  }

  /** The delay before retry number {@code attempt} (1 for the first retry). */
  public Duration delay(int attempt) {
    double initial = options.initialBackoff().toNanos();
    double cap = options.maxBackoff().toNanos();
    double raw = initial * Math.pow(options.backoffMultiplier(), Math.max(0, attempt - 1));
    double capped = Math.min(cap, raw);
    double jittered = capped * (1.0 - options.jitter() * random.nextDouble());
    return Duration.ofNanos((long) jittered);
  }
}
