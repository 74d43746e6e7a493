package dev.cohort.chaos;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The purchases of a run: which modes in which proportion, how many callers at once, and how many
 * purchases or for how long. Immutable; build it with {@link #builder()}.
 */
public final class Workload {
  public static final int DEFAULT_CONCURRENCY = 8;
  public static final long DEFAULT_SEED = 1;

  /**
   * A caller whose purchase failed waits this long before its next one (the system may be down).
   */
  public static final Duration DEFAULT_PAUSE_AFTER_FAILURE = Duration.ofMillis(200);

  private static final int MAX_CONCURRENCY = 1024;

  private final Map<String, Integer> weights;
  private final int concurrency;
  private final long purchases;
  private final Duration duration;
  private final long seed;
  private final Duration pauseAfterFailure;
  private final Duration thinkTime;

  private Workload(Builder b) {
    this.thinkTime = b.thinkTime;
    this.weights = Collections.unmodifiableMap(new LinkedHashMap<>(b.weights));
    this.concurrency = b.concurrency;
    this.purchases = b.purchases;
    this.duration = b.duration;
    this.seed = b.seed;
    this.pauseAfterFailure = b.pauseAfterFailure;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Mode name to weight, in the order given; a mode of weight 3 runs three times as often as 1. */
  public Map<String, Integer> weights() {
    return weights;
  }

  public int concurrency() {
    return concurrency;
  }

  /** How many purchases to start; 0 when the run is bounded by {@link #duration()} instead. */
  public long purchases() {
    return purchases;
  }

  /** How long to start purchases for; null when bounded by {@link #purchases()}. */
  public Duration duration() {
    return duration;
  }

  /** Seeds the choice of modes, so that a run can be repeated. */
  public long seed() {
    return seed;
  }

  public Duration pauseAfterFailure() {
    return pauseAfterFailure;
  }

  /**
   * How long each caller pauses between two purchases, as a shop's users do; zero (the default)
   * runs purchases back to back. With it, {@code purchases} take at least a known time, so faults
   * on a schedule hit a run of a known length whatever the machine's speed.
   */
  public Duration thinkTime() {
    return thinkTime;
  }

  public static final class Builder {
    private final Map<String, Integer> weights = new LinkedHashMap<>();
    private int concurrency = DEFAULT_CONCURRENCY;
    private long purchases;
    private Duration duration;
    private long seed = DEFAULT_SEED;
    private Duration pauseAfterFailure = DEFAULT_PAUSE_AFTER_FAILURE;
    private Duration thinkTime = Duration.ZERO;

    private Builder() {}

    public Builder mode(String name, int weight) {
      Objects.requireNonNull(name, "name");
      if (weight < 0) {
        throw new IllegalArgumentException(
            "the weight of mode '" + name + "' must be 0 or more, was " + weight);
      }
      weights.put(name, weight);
      return this;
    }

    /** A mix written as {@code tcc=3,saga=1,plain=1}, as the CLI's {@code --mix} takes it. */
    public Builder mix(String mix) {
      Objects.requireNonNull(mix, "mix");
      for (String part : mix.split(",", -1)) {
        String[] kv = part.trim().split("=", -1);
        int weight;
        try {
          weight = kv.length == 2 ? Integer.parseInt(kv[1].trim()) : -1;
        } catch (NumberFormatException e) {
          weight = -1;
        }
        if (weight < 0 || kv[0].isBlank()) {
          throw new IllegalArgumentException(
              "mix entry '" + part + "' is not MODE=WEIGHT (e.g. tcc=3,saga=1) in '" + mix + "'");
        }
        mode(kv[0].trim(), weight);
      }
      return this;
    }

    public Builder concurrency(int value) {
      if (value < 1 || value > MAX_CONCURRENCY) {
        throw new IllegalArgumentException(
            "concurrency must be 1.." + MAX_CONCURRENCY + ", was " + value);
      }
      concurrency = value;
      return this;
    }

    public Builder purchases(long value) {
      if (value < 1) {
        throw new IllegalArgumentException("purchases must be 1 or more, was " + value);
      }
      purchases = value;
      return this;
    }

    public Builder duration(Duration value) {
      Objects.requireNonNull(value, "duration");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("duration must be positive, was " + value);
      }
      duration = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    public Builder pauseAfterFailure(Duration value) {
      Objects.requireNonNull(value, "pauseAfterFailure");
      if (value.isNegative()) {
        throw new IllegalArgumentException("pauseAfterFailure must not be negative, was " + value);
      }
      pauseAfterFailure = value;
      return this;
    }

    public Builder thinkTime(Duration value) {
      Objects.requireNonNull(value, "thinkTime");
      if (value.isNegative()) {
        throw new IllegalArgumentException("thinkTime must not be negative, was " + value);
      }
      thinkTime = value;
      return this;
    }

    public Workload build() {
      if (weights.values().stream().mapToInt(Integer::intValue).sum() == 0) {
        throw new IllegalArgumentException(
            "a workload needs at least one mode with a positive weight, had " + weights);
      }
      if ((purchases == 0) == (duration == null)) {
        throw new IllegalArgumentException(
            "give either purchases or duration (exactly one), had purchases="
                + purchases
                + ", duration="
                + duration);
      }
      return new Workload(this);
    }
  }
}
