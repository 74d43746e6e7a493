package dev.cohort.coordinator;

import dev.cohort.api.InvalidInputException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How the engine times and retries things. Immutable; build with {@link #newBuilder()} or change a
 * copy with {@link #toBuilder()}.
 */
public final class CoordinatorOptions {
  /** Engines that share one log need distinct ids; a restarted engine should keep its own. */
  public static final String DEFAULT_NODE_ID = "embedded";

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
  public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(1);

  /** Each delay is shortened by a random fraction up to this, so retries do not stampede. */
  public static final double DEFAULT_JITTER = 0.2;

  public static final Duration DEFAULT_RETRY_WINDOW = Duration.ofHours(1);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  public static final int DEFAULT_CLAIM_BATCH = 100;

  /**
   * Transactions recovery drives at once after a start: enough that a participant which hangs holds
   * up only its own transactions, few enough that a large backlog does not flood the participants.
   */
  public static final int DEFAULT_RECOVERY_PARALLELISM = 64;

  /** Callers wait until the final status is durable, so a status query right after agrees. */
  public static final boolean DEFAULT_AWAIT_FINAL_WRITE = true;

  /**
   * A saga's step successes ride with its next write unless this much time passed since the run's
   * last write: a quick saga is begun and finished in two writes, a slow one still records its
   * progress about once a second, so a crash repeats at most that much of its work.
   */
  public static final Duration DEFAULT_SAGA_PROGRESS_EVERY = Duration.ofSeconds(1);

  /** Finished transactions stay queryable this long, then the engine deletes them. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofMinutes(1);

  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final String nodeId;
  private final Duration defaultTimeout;
  private final Duration initialBackoff;
  private final double backoffMultiplier;
  private final Duration maxBackoff;
  private final double jitter;
  private final Duration retryWindow;
  private final Duration pollInterval;
  private final Duration lease;
  private final int claimBatch;
  private final int recoveryParallelism;
  private final boolean awaitFinalWrite;
  private final Duration retention;
  private final Duration purgeInterval;
  private final Duration sagaProgressEvery;

  private CoordinatorOptions(Builder b) {
    this.retention = b.retention;
    this.purgeInterval = b.purgeInterval;
    this.awaitFinalWrite = b.awaitFinalWrite;
    this.nodeId = b.nodeId;
    this.defaultTimeout = b.defaultTimeout;
    this.initialBackoff = b.initialBackoff;
    this.backoffMultiplier = b.backoffMultiplier;
    this.maxBackoff = b.maxBackoff;
    this.jitter = b.jitter;
    this.retryWindow = b.retryWindow;
    this.pollInterval = b.pollInterval;
    this.lease = b.lease;
    this.claimBatch = b.claimBatch;
    this.recoveryParallelism = b.recoveryParallelism;
    this.sagaProgressEvery = b.sagaProgressEvery;
  }

  public static CoordinatorOptions defaults() {
    return newBuilder().build();
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.nodeId = nodeId;
    b.defaultTimeout = defaultTimeout;
    b.initialBackoff = initialBackoff;
    b.backoffMultiplier = backoffMultiplier;
    b.maxBackoff = maxBackoff;
    b.jitter = jitter;
    b.retryWindow = retryWindow;
    b.pollInterval = pollInterval;
    b.lease = lease;
    b.claimBatch = claimBatch;
    b.recoveryParallelism = recoveryParallelism;
    b.awaitFinalWrite = awaitFinalWrite;
    b.retention = retention;
    b.purgeInterval = purgeInterval;
    b.sagaProgressEvery = sagaProgressEvery;
    return b;
  }

  /**
   * How long a finished (committed, rolled back or resolved) transaction stays in the log for
   * queries before the engine purges it. FAILED ones are never purged: they wait for an operator.
   */
  public Duration retention() {
    return retention;
  }

  /** How often the engine purges finished transactions older than {@link #retention()}. */
  public Duration purgeInterval() {
    return purgeInterval;
  }

  public String nodeId() {
    return nodeId;
  }

  /** Deadline of a transaction that does not set its own timeout. */
  public Duration defaultTimeout() {
    return defaultTimeout;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public double backoffMultiplier() {
    return backoffMultiplier;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  public double jitter() {
    return jitter;
  }

  /** How long delivery of one phase keeps retrying before the transaction becomes FAILED. */
  public Duration retryWindow() {
    return retryWindow;
  }

  /** How often the engine looks for due work in the log (another engine's, or its own retries). */
  public Duration pollInterval() {
    return pollInterval;
  }

  /** How long a claim keeps other engines off a transaction. */
  public Duration lease() {
    return lease;
  }

  public int claimBatch() {
    return claimBatch;
  }

  /** How many unfinished transactions recovery drives at once after a start. */
  public int recoveryParallelism() {
    return recoveryParallelism;
  }

  /**
   * Whether a call waits for the terminal status (committed, rolled back) to be durable. The
   * decision is always durable before participants hear anything; with {@code false} the call
   * returns once phase two was delivered and the terminal write happens in the background, saving
   * one log round trip per transaction, and answers the decided status (committing, rolling back)
   * that the log still holds, so that no later read shows the status going backwards. If that write
   * is lost, recovery repeats phase two.
   */
  public boolean awaitFinalWrite() {
    return awaitFinalWrite;
  }

  /**
   * How long a saga runs steps before it writes their successes on its own; until then they ride
   * with the saga's next write (its end, a failure, a rollback decision). After a crash the steps
   * whose successes were not written are called again, and a rollback compensates every step the
   * crashed run may have reached. {@link Duration#ZERO} writes each success before the next step
   * starts (one awaited write per step).
   */
  public Duration sagaProgressEvery() {
    return sagaProgressEvery;
  }

  @Override
  public String toString() {
    return "CoordinatorOptions{nodeId="
        + nodeId
        + ", defaultTimeout="
        + defaultTimeout
        + ", initialBackoff="
        + initialBackoff
        + ", backoffMultiplier="
        + backoffMultiplier
        + ", maxBackoff="
        + maxBackoff
        + ", jitter="
        + jitter
        + ", retryWindow="
        + retryWindow
        + ", pollInterval="
        + pollInterval
        + ", lease="
        + lease
        + ", claimBatch="
        + claimBatch
        + ", recoveryParallelism="
        + recoveryParallelism
        + ", awaitFinalWrite="
        + awaitFinalWrite
        + ", retention="
        + retention
        + ", purgeInterval="
        + purgeInterval
        + ", sagaProgressEvery="
        + sagaProgressEvery
        + "}";
  }

  /** Collects settings; {@link #build()} checks them together. */
  public static final class Builder {
    private String nodeId = DEFAULT_NODE_ID;
    private Duration defaultTimeout = DEFAULT_TIMEOUT;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private double backoffMultiplier = DEFAULT_BACKOFF_MULTIPLIER;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private double jitter = DEFAULT_JITTER;
    private Duration retryWindow = DEFAULT_RETRY_WINDOW;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration lease = DEFAULT_LEASE;
    private int claimBatch = DEFAULT_CLAIM_BATCH;
    private int recoveryParallelism = DEFAULT_RECOVERY_PARALLELISM;
    private boolean awaitFinalWrite = DEFAULT_AWAIT_FINAL_WRITE;
    private Duration retention = DEFAULT_RETENTION;
    private Duration purgeInterval = DEFAULT_PURGE_INTERVAL;
    private Duration sagaProgressEvery = DEFAULT_SAGA_PROGRESS_EVERY;

    private Builder() {}

    public Builder sagaProgressEvery(Duration value) {
      if (value == null || value.isNegative()) {
        throw new InvalidInputException(
            "sagaProgressEvery must be zero (write each step's success before the next step) or a"
                + " positive duration but was "
                + value);
      }
      this.sagaProgressEvery = value;
      return this;
    }

    public Builder retention(Duration value) {
      this.retention = positive("retention", value);
      return this;
    }

    public Builder purgeInterval(Duration value) {
      this.purgeInterval = positive("purgeInterval", value);
      return this;
    }

    public Builder awaitFinalWrite(boolean value) {
      this.awaitFinalWrite = value;
      return this;
    }

    public Builder nodeId(String value) {
      if (value == null || !NODE_ID.matcher(value).matches()) {
        throw new InvalidInputException(
            "nodeId '" + value + "' must be 1-128 letters, digits or . _ : -");
      }
      this.nodeId = value;
      return this;
    }

    public Builder defaultTimeout(Duration value) {
      this.defaultTimeout = positive("defaultTimeout", value);
      return this;
    }

    public Builder initialBackoff(Duration value) {
      this.initialBackoff = positive("initialBackoff", value);
      return this;
    }

    public Builder backoffMultiplier(double value) {
      if (!(value >= 1.0) || Double.isInfinite(value)) {
        throw new InvalidInputException(
            "backoffMultiplier must be a finite number >= 1.0 but was " + value);
      }
      this.backoffMultiplier = value;
      return this;
    }

    public Builder maxBackoff(Duration value) {
      this.maxBackoff = positive("maxBackoff", value);
      return this;
    }

    public Builder jitter(double value) {
      if (!(value >= 0.0 && value < 1.0)) {
        throw new InvalidInputException("jitter must be in [0.0, 1.0) but was " + value);
      }
      this.jitter = value;
      return this;
    }

    public Builder retryWindow(Duration value) {
      this.retryWindow = positive("retryWindow", value);
      return this;
    }

    public Builder pollInterval(Duration value) {
      this.pollInterval = positive("pollInterval", value);
      return this;
    }

    public Builder lease(Duration value) {
      this.lease = positive("lease", value);
      return this;
    }

    public Builder claimBatch(int value) {
      if (value < 1) {
        throw new InvalidInputException("claimBatch must be at least 1 but was " + value);
      }
      this.claimBatch = value;
      return this;
    }

    public Builder recoveryParallelism(int value) {
      if (value < 1) {
        throw new InvalidInputException(
            "recoveryParallelism must be at least 1 but was "
                + value
                + " (1 recovers one transaction at a time)");
      }
      this.recoveryParallelism = value;
      return this;
    }

    public CoordinatorOptions build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new InvalidInputException(
            "maxBackoff ("
                + maxBackoff
                + ") must not be shorter than initialBackoff ("
                + initialBackoff
                + ")");
      }
      return new CoordinatorOptions(this);
    }

    private static Duration positive(String name, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new InvalidInputException(name + " must be a positive duration but was " + value);
      }
      return value;
    }
  }
}
