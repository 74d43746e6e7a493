package dev.cohort.participant;

import dev.cohort.api.Scheduler;
import dev.cohort.protocol.v1.CoordinatorCallException;
import dev.cohort.protocol.v1.CoordinatorClient;
import dev.cohort.protocol.v1.ParticipantOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes prepared branches whose coordinator went quiet. Every {@code every}, it lists the
 * database's prepared Cohort branches; one prepared for longer than {@code askAfter} (counted from
 * when this resolver first saw it, so a restart waits afresh) is settled by asking the coordinator
 * ({@link OutcomeSource}, e.g. {@code GET /v1/transactions/{gid}/outcome}): commit → commit,
 * rollback or an unknown gid → roll back (presumed abort), not decided yet → ask again later. When
 * the coordinator cannot be reached and the branch has been prepared for {@code presumeAbortAfter},
 * it is rolled back: its locks are released, at the price that a commit decided meanwhile will find
 * it rolled back and fail for an operator (docs/xa-and-3pc.md).
 */
public final class PreparedBranchResolver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PreparedBranchResolver.class);

  public static final Duration DEFAULT_EVERY = Duration.ofSeconds(10);
  public static final Duration DEFAULT_ASK_AFTER = Duration.ofSeconds(30);
  public static final Duration DEFAULT_PRESUME_ABORT_AFTER = Duration.ofMinutes(10);

  /** The coordinator's answer about one gid. */
  public enum Decision {
    COMMIT,
    ROLLBACK,
    /** Not decided yet: keep the branch prepared. */
    UNDECIDED,
    /** The coordinator does not know the gid: presumed abort. */
    UNKNOWN
  }

  /** Asks the coordinator; throws when it cannot be reached. */
  @FunctionalInterface
  public interface OutcomeSource {
    Decision decision(String gid) throws Exception;

    /**
     * Asks a coordinator server: {@code GET /v1/transactions/{gid}/outcome} (docs/protocol.md); a
     * {@code 404} is an unknown gid (presumed abort), any other failure means "cannot reach it".
     */
    static OutcomeSource of(CoordinatorClient client) {
      Objects.requireNonNull(client, "client");
      return gid -> {
        try {
          ParticipantOutcome o = client.outcome(gid);
          if ("commit".equals(o.decision())) {
            return Decision.COMMIT;
          }
          return "rollback".equals(o.decision()) ? Decision.ROLLBACK : Decision.UNDECIDED;
        } catch (CoordinatorCallException e) {
          if (e.status() == 404) {
            return Decision.UNKNOWN;
          }
          throw e;
        }
      };
    }
  }

  private final PreparedBranches prepared;
  private final OutcomeSource source;
  private final Scheduler scheduler;
  private final Clock clock;
  private final Duration every;
  private final Duration askAfter;
  private final Duration presumeAbortAfter;
  private final Map<PreparedBranches.PreparedId, Instant> firstSeen = new ConcurrentHashMap<>();
  private Scheduler.Cancellable task;

  private PreparedBranchResolver(Builder b) {
    this.prepared = b.prepared;
    this.source = b.source;
    this.scheduler = b.scheduler;
    this.clock = b.clock;
    this.every = b.every;
    this.askAfter = b.askAfter;
    this.presumeAbortAfter = b.presumeAbortAfter;
  }

  public static Builder builder(PreparedBranches prepared, OutcomeSource source) {
    return new Builder(prepared, source);
  }

  /** Runs {@link #resolveNow()} every {@code every} on the scheduler. */
  public synchronized PreparedBranchResolver start() {
    if (task == null) {
      task = scheduler.scheduleRepeatedly(every, this::resolveNow);
    }
    return this;
  }

  /** One pass; returns how many branches it committed or rolled back. */
  public int resolveNow() {
    Instant now = clock.instant();
    Set<PreparedBranches.PreparedId> seen = new HashSet<>();
    int settled = 0;
    try {
      for (PreparedBranches.PreparedId id : prepared.prepared()) {
        seen.add(id);
        Instant since = firstSeen.computeIfAbsent(id, k -> now);
        Duration age = Duration.between(since, now);
        if (age.compareTo(askAfter) >= 0 && settle(id, age)) {
          settled++;
        }
      }
    } catch (Exception e) {
      LOG.warn("listing prepared branches failed; trying again in {}", every, e);
    }
    firstSeen.keySet().retainAll(seen);
    return settled;
  }

  private boolean settle(PreparedBranches.PreparedId id, Duration age) {
    Decision decision;
    try {
      decision = source.decision(id.gid());
    } catch (Exception e) {
      if (age.compareTo(presumeAbortAfter) < 0) {
        LOG.info(
            "branch {}/{}: the coordinator did not answer ({}); asking again",
            id.gid(),
            id.branchId(),
            e.toString());
        return false;
      }
      LOG.warn(
          "branch {}/{}: prepared for {} and the coordinator cannot be reached; presumed abort",
          id.gid(),
          id.branchId(),
          age);
      decision = Decision.ROLLBACK;
    }
    try {
      switch (decision) {
        case COMMIT -> prepared.commit(id.gid(), id.branchId());
        case ROLLBACK, UNKNOWN -> prepared.rollback(id.gid(), id.branchId());
        case UNDECIDED -> {
          return false;
        }
      }
      LOG.info("branch {}/{}: resolved by {}", id.gid(), id.branchId(), decision);
      firstSeen.remove(id);
      return true;
    } catch (Exception e) {
      LOG.warn("branch {}/{}: carrying out {} failed", id.gid(), id.branchId(), decision, e);
      return false;
    }
  }

  @Override
  public synchronized void close() {
    if (task != null) {
      task.cancel();
      task = null;
    }
  }

  /** Settings; the prepared branches and the outcome source are required. */
  public static final class Builder {
    private final PreparedBranches prepared;
    private final OutcomeSource source;
    private Scheduler scheduler;
    private Clock clock = Clock.systemUTC();
    private Duration every = DEFAULT_EVERY;
    private Duration askAfter = DEFAULT_ASK_AFTER;
    private Duration presumeAbortAfter = DEFAULT_PRESUME_ABORT_AFTER;

    private Builder(PreparedBranches prepared, OutcomeSource source) {
      this.prepared = Objects.requireNonNull(prepared, "prepared");
      this.source = Objects.requireNonNull(source, "source");
    }

    public Builder scheduler(Scheduler value) {
      this.scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    public Builder every(Duration value) {
      this.every = positive("every", value, DEFAULT_EVERY);
      return this;
    }

    public Builder askAfter(Duration value) {
      this.askAfter = positive("askAfter", value, DEFAULT_ASK_AFTER);
      return this;
    }

    public Builder presumeAbortAfter(Duration value) {
      this.presumeAbortAfter = positive("presumeAbortAfter", value, DEFAULT_PRESUME_ABORT_AFTER);
      return this;
    }

    public PreparedBranchResolver build() {
      if (presumeAbortAfter.compareTo(askAfter) < 0) {
        throw new IllegalArgumentException(
            "presumeAbortAfter ("
                + presumeAbortAfter
                + ") must not be shorter than askAfter ("
                + askAfter
                + "): the coordinator is asked first");
      }
      if (scheduler == null) {
        scheduler = Scheduler.system("cohort-prepared-resolver");
      }
      return new PreparedBranchResolver(this);
    }

    private static Duration positive(String name, Duration value, Duration fallback) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            name + " must be a positive duration, was " + value + "; the default is " + fallback);
      }
      return value;
    }
  }
}
