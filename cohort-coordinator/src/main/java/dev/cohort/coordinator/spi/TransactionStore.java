package dev.cohort.coordinator.spi;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.coordinator.TransactionQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The durable log. Implementations batch concurrent {@link #write} calls into one durable commit
 * (group commit): the engine issues a handful of writes per transaction, so that is where
 * throughput comes from.
 */
public interface TransactionStore extends AutoCloseable {
  /** Creates or migrates the schema. Called once by the engine before anything else. */
  void open();

  /** Completes once the unit is durable (or was rejected by its guard). */
  CompletableFuture<WriteResult> write(LogUnit unit);

  /**
   * {@link #write} of each unit, handed to the log as one submission: a group-committing store puts
   * them into the same durable commit, so a record that may wait (a completion) rides with one that
   * is awaited instead of costing a flush of its own ahead of it. The futures are in the order of
   * {@code units}; each unit's guard is still checked on its own. The default writes them one by
   * one.
   */
  default List<CompletableFuture<WriteResult>> writeTogether(List<LogUnit> units) {
    return units.stream().map(this::write).toList();
  }

  Optional<StoredTransaction> load(Gid gid);

  /** Leases due unfinished transactions to the caller; see {@link ClaimRequest}. */
  List<StoredTransaction> claim(ClaimRequest request);

  /**
   * Extends {@code owner}'s lease to {@code until} on those of {@code gids} it still holds and that
   * are unfinished, and moves their next attempt to {@code until} if it was earlier: the engine
   * calls this while it drives them, so that no other node takes over a live node's work. A gid
   * another owner holds now is left alone.
   *
   * @return how many leases were renewed
   */
  int renewLeases(String owner, List<Gid> gids, Instant until);

  /** Transactions in a status, oldest first; for operators. */
  List<GlobalRecord> findByStatus(GlobalStatus status, int limit);

  /** Transactions matching {@code query}, ordered by gid; for operators and the console. */
  List<GlobalRecord> search(TransactionQuery query);

  /**
   * Deletes up to {@code limit} finished transactions (committed, rolled back, resolved; never
   * failed ones) last changed before {@code finishedBefore}, with their branches.
   *
   * @return how many were deleted
   */
  int purgeFinished(Instant finishedBefore, int limit);

  /** How many transactions are in each status (absent: none); for backlog gauges. */
  Map<GlobalStatus, Long> countByStatus();

  // What follows backs the operator's console. A log that does not keep it says so when asked;
  // the JDBC log keeps all of it.

  /** Appends an operator action to the audit trail; durable when this returns. */
  default void appendAudit(AuditRecord record) {
    throw unsupported("an audit trail");
  }

  /** The audit trail of one transaction, oldest first, at most {@code limit} entries. */
  default List<AuditRecord> audit(Gid gid, int limit) {
    throw unsupported("an audit trail");
  }

  /** The latest operator actions on any transaction, newest first. */
  default List<AuditRecord> recentAudit(int limit) {
    throw unsupported("an audit trail");
  }

  /**
   * The attempt history of one transaction's branches: the calls the log still keeps (the last few
   * per branch and operation), by branch, operation and attempt.
   */
  default List<AttemptRecord> attempts(Gid gid) {
    throw unsupported("an attempt history");
  }

  /**
   * Transactions created at or after {@code since}, counted per {@code bucket} of creation time and
   * per current status; buckets with none are absent.
   */
  default List<ActivityBucket> activity(Instant since, Duration bucket) {
    throw unsupported("activity counts");
  }

  /** The unfinished transaction (neither terminal nor failed) created first; empty when none. */
  default Optional<GlobalRecord> oldestUnfinished() {
    throw unsupported("an oldest-unfinished query");
  }

  /**
   * Branches of up to {@code limit} transactions created at or after {@code since}, newest first.
   */
  default List<BranchSample> branchSample(Instant since, int limit) {
    throw unsupported("branch samples");
  }

  /**
   * Stores a new console session, after deleting the sessions last seen before {@code idleBefore}
   * or expired at {@code now}, and, when {@code cap} or more remain, the least recently seen ones
   * until {@code cap - 1} do. Durable when this returns.
   */
  default void openSession(ConsoleSessionRecord session, Instant idleBefore, Instant now, int cap) {
    throw unsupported("console sessions");
  }

  /** The console session whose id hashes to {@code idHash}; empty when there is none. */
  default Optional<ConsoleSessionRecord> session(String idHash) {
    throw unsupported("console sessions");
  }

  /** Moves a session's last use to {@code lastSeen} (never back in time). */
  default void touchSession(String idHash, Instant lastSeen) {
    throw unsupported("console sessions");
  }

  /** Deletes a console session (log out, expiry, a token that was withdrawn). */
  default void closeSession(String idHash) {
    throw unsupported("console sessions");
  }

  private UnsupportedOperationException unsupported(String what) {
    return new UnsupportedOperationException(
        getClass().getName() + " keeps no " + what + "; the console needs the JDBC log");
  }

  @Override
  void close();
}
