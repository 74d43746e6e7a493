package dev.cohort.participant;

import dev.cohort.protocol.v1.ParticipantOutcome;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The participant side of "how did it end?": a branch held longer than a threshold (its confirm or
 * cancel never arrived: the coordinator is down, the network dropped the call) is looked up at the
 * coordinator, and a decided commit or rollback is applied here through the barrier. The
 * coordinator keeps delivering too; the barrier makes the second of the two a no-op.
 *
 * <p>A transaction not decided yet is left alone (asked again next round); one settled by hand
 * ({@code final} without a decision) is logged and left for the operator.
 */
public final class HeldBranchResolver {
  /** How long a branch may stay held before the coordinator is asked, unless configured. */
  public static final Duration DEFAULT_HOLD_THRESHOLD = Duration.ofSeconds(30);

  /** Branches looked at per round, unless configured. */
  public static final int DEFAULT_BATCH = 100;

  private static final Logger LOG = LoggerFactory.getLogger(HeldBranchResolver.class);

  private final HeldBranches held;
  private final OutcomeSource outcomes;
  private final BranchSettler settler;
  private final Clock clock;
  private final Duration threshold;
  private final int batch;

  private HeldBranchResolver(Builder b) {
    this.held = b.held;
    this.outcomes = b.outcomes;
    this.settler = b.settler;
    this.clock = b.clock;
    this.threshold = b.threshold;
    this.batch = b.batch;
  }

  public static Builder builder(HeldBranches held, OutcomeSource outcomes, BranchSettler settler) {
    return new Builder(held, outcomes, settler);
  }

  /** What one round did. */
  public record Round(int asked, int confirmed, int cancelled, int undecided, int failed) {
    public int settled() {
      return confirmed + cancelled;
    }
  }

  /** One round: asks about every branch held longer than the threshold and applies the answers. */
  public Round resolveOnce() {
    int asked = 0;
    int confirmed = 0;
    int cancelled = 0;
    int undecided = 0;
    int failed = 0;
    for (HeldBranch branch : held.heldBefore(clock.instant().minus(threshold), batch)) {
      asked++;
      try {
        ParticipantOutcome outcome = outcomes.outcome(branch.gid());
        if ("commit".equals(outcome.decision())) {
          settler.confirm(branch);
          confirmed++;
        } else if ("rollback".equals(outcome.decision())) {
          settler.cancel(branch);
          cancelled++;
        } else {
          if (outcome.terminal()) {
            LOG.warn(
                "branch {}/{} is held but its transaction ended as '{}' without a decision"
                    + " (settled by hand): release it by hand too",
                branch.gid(),
                branch.branchId(),
                outcome.status());
          }
          undecided++;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        LOG.warn(
            "could not settle held branch {}/{} (held since {}); asking again next round",
            branch.gid(),
            branch.branchId(),
            branch.heldSince(),
            e);
        failed++;
      }
    }
    return new Round(asked, confirmed, cancelled, undecided, failed);
  }

  /**
   * Runs {@link #resolveOnce} every {@code period} on {@code scheduler} (the caller's, so tests
   * pass a manual one) until the returned future is cancelled. A failing round never stops later
   * ones.
   */
  public ScheduledFuture<?> start(ScheduledExecutorService scheduler, Duration period) {
    Objects.requireNonNull(scheduler, "scheduler");
    if (period == null || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive, got " + period);
    }
    return scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            resolveOnce();
          } catch (RuntimeException e) {
            LOG.warn("a round of the held-branch resolver failed; the next one runs as planned", e);
          }
        },
        period.toMillis(),
        period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Settings of a {@link HeldBranchResolver}; the defaults are the constants above. */
  public static final class Builder {
    private final HeldBranches held;
    private final OutcomeSource outcomes;
    private final BranchSettler settler;
    private Clock clock = Clock.systemUTC();
    private Duration threshold = DEFAULT_HOLD_THRESHOLD;
    private int batch = DEFAULT_BATCH;

    private Builder(HeldBranches held, OutcomeSource outcomes, BranchSettler settler) {
      this.held = Objects.requireNonNull(held, "held");
      this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
      this.settler = Objects.requireNonNull(settler, "settler");
    }

    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** How long a branch may stay held before the coordinator is asked. */
    public Builder holdThreshold(Duration value) {
      if (value == null || value.isNegative()) {
        throw new IllegalArgumentException("holdThreshold must be zero or more, got " + value);
      }
      this.threshold = value;
      return this;
    }

    public Builder batch(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("batch must be at least 1, got " + value);
      }
      this.batch = value;
      return this;
    }

    public HeldBranchResolver build() {
      return new HeldBranchResolver(this);
    }
  }
}
