package dev.cohort.participant;

import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.api.Scheduler;
import dev.cohort.participant.internal.ThreePhaseSql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The participant's half of a three-phase commit, on top of {@link PreparedBranches}: {@link
 * #canCommit} votes without locking anything; {@link #preCommit} does the work and leaves it
 * prepared; {@link #doCommit} commits and {@link #abort} rolls back. What makes it three-phase are
 * the participant's own timeouts, run on the injected {@link Scheduler}:
 *
 * <ul>
 *   <li>voted yes and no pre-commit within {@code voteTimeout} → abort by itself (a pre-commit
 *       arriving later is refused);
 *   <li>pre-committed and no decision within {@code preCommitTimeout} → commit by itself, because
 *       the coordinator only sends pre-commit after every branch voted yes.
 * </ul>
 *
 * The second rule is what lets a 3PC participant finish without its coordinator, and what breaks
 * under a partition: if the coordinator decided abort because another branch did not acknowledge
 * its pre-commit, this branch commits anyway (docs/xa-and-3pc.md). Statuses are stored in the
 * database beside the outcome table ({@code <table>_3pc}, created by {@link
 * PreparedBranches#createSchema}) and move only along {@link ThreePcBranchStatus}'s table, each
 * change a compare-and-set; {@link #resume} re-arms the timeouts of a restarted participant, so a
 * pre-committed branch still commits on its own and a yes vote still aborts.
 */
public final class ThreePhaseBranches {
  private static final Logger LOG = LoggerFactory.getLogger(ThreePhaseBranches.class);

  public static final Duration DEFAULT_VOTE_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_PRE_COMMIT_TIMEOUT = Duration.ofSeconds(30);

  /** Told about every status change, e.g. to log it or, in tests, to see which ones happened. */
  @FunctionalInterface
  public interface TransitionListener {
    /**
     * One status change.
     *
     * @param from null for a branch's first status
     * @param byTimeout whether the participant's own timeout made the change
     */
    void onTransition(
        String gid,
        String branchId,
        ThreePcBranchStatus from,
        ThreePcBranchStatus to,
        boolean byTimeout);
  }

  /** A vote's check: return to vote yes, throw {@link ParticipantRefusedException} to vote no. */
  @FunctionalInterface
  public interface VoteCheck {
    void check() throws Exception;
  }

  private record Key(String gid, String branchId) {}

  private final PreparedBranches prepared;
  private final Scheduler scheduler;
  private final Duration voteTimeout;
  private final Duration preCommitTimeout;
  private final TransitionListener listener;
  private final Clock clock;
  private final ThreePhaseSql sql;
  private final Map<Key, Scheduler.Cancellable> timers = new ConcurrentHashMap<>();

  private ThreePhaseBranches(Builder b) {
    this.prepared = b.prepared;
    this.scheduler = b.scheduler;
    this.voteTimeout = b.voteTimeout;
    this.preCommitTimeout = b.preCommitTimeout;
    this.listener = b.listener;
    this.clock = b.clock != null ? b.clock : b.prepared.clock();
    this.sql = new ThreePhaseSql(b.prepared.table());
  }

  public static Builder builder(PreparedBranches prepared, Scheduler scheduler) {
    return new Builder(prepared, scheduler);
  }

  /** The branch's status here, or null when it has not voted. */
  public ThreePcBranchStatus status(String gid, String branchId) {
    return stored(new Key(gid, branchId))
        .map(r -> ThreePcBranchStatus.fromCode(r.status()))
        .orElse(null);
  }

  /**
   * Re-arms the timeouts of the branches a previous process of this participant left voted or
   * pre-committed, counting the time already passed since each entered its status (a timeout that
   * passed while the process was down fires at once). Call it once on start, after {@link
   * PreparedBranches#createSchema}; returns how many branches it re-armed.
   */
  public int resume() {
    List<ThreePhaseSql.Row> open;
    try (Connection c = prepared.dataSource().getConnection()) {
      open =
          sql.inStatus(
              c,
              List.of(ThreePcBranchStatus.VOTED.code(), ThreePcBranchStatus.PRE_COMMITTED.code()));
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not read the 3PC statuses of " + prepared.table() + "_3pc to resume them", e);
    }
    for (ThreePhaseSql.Row row : open) {
      Key key = new Key(row.gid(), row.branchId());
      boolean voted = ThreePcBranchStatus.fromCode(row.status()) == ThreePcBranchStatus.VOTED;
      Duration timeout = voted ? voteTimeout : preCommitTimeout;
      Duration left =
          Duration.ofMillis(Math.max(0, row.since() + timeout.toMillis() - clock.millis()));
      arm(key, left, voted ? () -> timeOutVote(key) : () -> timeOutPreCommit(key));
    }
    if (!open.isEmpty()) {
      LOG.info("3PC: re-armed the timeouts of {} voted or pre-committed branches", open.size());
    }
    return open.size();
  }

  /**
   * The vote: {@code check} runs on a connection of its own, outside any prepared transaction, and
   * must not lock; throw {@link ParticipantRefusedException} to vote no.
   */
  public void canCommit(String gid, String branchId, VoteCheck check) throws Exception {
    Key key = new Key(gid, branchId);
    ThreePcBranchStatus now = status(gid, branchId);
    if (now == ThreePcBranchStatus.ABORTED) {
      throw new ParticipantRefusedException("can-commit of " + gid + "/" + branchId + ": aborted");
    }
    if (now != null) {
      return; // a repeated vote
    }
    check.check();
    if (move(key, null, ThreePcBranchStatus.VOTED, false)) {
      arm(key, voteTimeout, () -> timeOutVote(key));
    }
  }

  /** Does the work and holds it prepared; refused after this branch aborted. */
  public PreparedResult preCommit(String gid, String branchId, LocalWork work) throws Exception {
    Key key = new Key(gid, branchId);
    ThreePcBranchStatus now = status(gid, branchId);
    if (now == ThreePcBranchStatus.ABORTED) {
      throw refusedAfterAbort(gid, branchId);
    }
    PreparedResult r = prepared.prepare(gid, branchId, work);
    if (now == null || now == ThreePcBranchStatus.VOTED) {
      // A repeated can-commit may have stored the vote between the read above and this move: then
      // the branch moves on from that vote.
      boolean moved =
          move(key, now, ThreePcBranchStatus.PRE_COMMITTED, false)
              || (now == null
                  && move(
                      key, ThreePcBranchStatus.VOTED, ThreePcBranchStatus.PRE_COMMITTED, false));
      if (moved) {
        arm(key, preCommitTimeout, () -> timeOutPreCommit(key));
      } else if (status(gid, branchId) == ThreePcBranchStatus.ABORTED) {
        // The vote timeout fired while the work was being prepared, and rolled it back: the
        // coordinator must not count this pre-commit as acknowledged.
        throw refusedAfterAbort(gid, branchId);
      }
    }
    return r;
  }

  private ParticipantRefusedException refusedAfterAbort(String gid, String branchId) {
    return new ParticipantRefusedException(
        "pre-commit of "
            + gid
            + "/"
            + branchId
            + " arrived after this branch aborted (no pre-commit within "
            + voteTimeout
            + " of its vote, or an abort)");
  }

  public PreparedResult doCommit(String gid, String branchId) throws Exception {
    Key key = new Key(gid, branchId);
    PreparedResult r = prepared.commit(gid, branchId);
    disarm(key);
    moveFrom(key, ThreePcBranchStatus.COMMITTED, false);
    return r;
  }

  public PreparedResult abort(String gid, String branchId) throws Exception {
    Key key = new Key(gid, branchId);
    PreparedResult r = prepared.rollback(gid, branchId);
    disarm(key);
    moveFrom(key, ThreePcBranchStatus.ABORTED, false);
    return r;
  }

  private void timeOutVote(Key key) {
    timers.remove(key);
    if (status(key.gid(), key.branchId()) != ThreePcBranchStatus.VOTED) {
      return;
    }
    try {
      prepared.rollback(key.gid(), key.branchId());
      move(key, ThreePcBranchStatus.VOTED, ThreePcBranchStatus.ABORTED, true);
    } catch (Exception e) {
      LOG.warn(
          "3PC branch {}/{}: aborting after the vote timeout failed", key.gid(), key.branchId(), e);
    }
  }

  private void timeOutPreCommit(Key key) {
    timers.remove(key);
    if (status(key.gid(), key.branchId()) != ThreePcBranchStatus.PRE_COMMITTED) {
      return;
    }
    try {
      try {
        prepared.commit(key.gid(), key.branchId());
      } catch (ParticipantRefusedException rolledBack) {
        // An abort rolled the branch back and this process stopped before recording it.
        move(key, ThreePcBranchStatus.PRE_COMMITTED, ThreePcBranchStatus.ABORTED, false);
        return;
      }
      move(key, ThreePcBranchStatus.PRE_COMMITTED, ThreePcBranchStatus.COMMITTED, true);
      LOG.info(
          "3PC branch {}/{}: no decision within {} of pre-commit; committed on its own",
          key.gid(),
          key.branchId(),
          preCommitTimeout);
    } catch (Exception e) {
      LOG.warn(
          "3PC branch {}/{}: committing after the timeout failed", key.gid(), key.branchId(), e);
    }
  }

  /** Moves from whatever legal status the branch has to {@code to}; no-op when already final. */
  private void moveFrom(Key key, ThreePcBranchStatus to, boolean byTimeout) {
    for (int i = 0; i < 3; i++) {
      ThreePcBranchStatus from = status(key.gid(), key.branchId());
      if (from == null || from == to || !from.canTransitionTo(to)) {
        return;
      }
      if (move(key, from, to, byTimeout)) {
        return;
      }
    }
  }

  /** The one place a status changes: checked against the table, compare-and-set. */
  private boolean move(
      Key key, ThreePcBranchStatus from, ThreePcBranchStatus to, boolean byTimeout) {
    if (from != null && !from.canTransitionTo(to)) {
      throw new IllegalStateException(
          "3PC branch "
              + key.gid()
              + "/"
              + key.branchId()
              + " cannot go "
              + from.code()
              + " -> "
              + to.code());
    }
    boolean moved = store(key, from, to);
    if (moved && listener != null) {
      try {
        listener.onTransition(key.gid(), key.branchId(), from, to, byTimeout);
      } catch (RuntimeException e) {
        LOG.warn("a 3PC transition listener failed", e);
      }
    }
    return moved;
  }

  private boolean store(Key key, ThreePcBranchStatus from, ThreePcBranchStatus to) {
    try (Connection c = prepared.dataSource().getConnection()) {
      return from == null
          ? sql.insert(c, key.gid(), key.branchId(), to.code(), clock.millis())
          : sql.update(c, key.gid(), key.branchId(), from.code(), to.code(), clock.millis());
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not store 3PC branch "
              + key.gid()
              + "/"
              + key.branchId()
              + " moving to "
              + to.code(),
          e);
    }
  }

  private Optional<ThreePhaseSql.Row> stored(Key key) {
    try (Connection c = prepared.dataSource().getConnection()) {
      return sql.load(c, key.gid(), key.branchId());
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not read the 3PC status of " + key.gid() + "/" + key.branchId(), e);
    }
  }

  private void arm(Key key, Duration after, Runnable task) {
    Scheduler.Cancellable previous = timers.put(key, scheduler.schedule(after, task));
    if (previous != null) {
      previous.cancel();
    }
  }

  private void disarm(Key key) {
    Scheduler.Cancellable timer = timers.remove(key);
    if (timer != null) {
      timer.cancel();
    }
  }

  /** Settings; the prepared branches and the scheduler are required. */
  public static final class Builder {
    private final PreparedBranches prepared;
    private final Scheduler scheduler;
    private Duration voteTimeout = DEFAULT_VOTE_TIMEOUT;
    private Duration preCommitTimeout = DEFAULT_PRE_COMMIT_TIMEOUT;
    private TransitionListener listener;
    private Clock clock;

    private Builder(PreparedBranches prepared, Scheduler scheduler) {
      this.prepared = Objects.requireNonNull(prepared, "prepared");
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler, e.g. Scheduler.system()");
    }

    /** How long a yes vote waits for pre-commit before aborting; default 30 s. */
    public Builder voteTimeout(Duration value) {
      this.voteTimeout = positive("voteTimeout", value, DEFAULT_VOTE_TIMEOUT);
      return this;
    }

    /** How long a pre-committed branch waits for a decision before committing; default 30 s. */
    public Builder preCommitTimeout(Duration value) {
      this.preCommitTimeout = positive("preCommitTimeout", value, DEFAULT_PRE_COMMIT_TIMEOUT);
      return this;
    }

    public Builder listener(TransitionListener value) {
      this.listener = Objects.requireNonNull(value, "listener");
      return this;
    }

    /**
     * The clock statuses are stamped with and timeouts left after a restart are counted on; it
     * should be the scheduler's. Default: the prepared branches' clock.
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    public ThreePhaseBranches build() {
      return new ThreePhaseBranches(this);
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
