package dev.cohort.xa.internal;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.api.Scheduler;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.LogUnit;
import dev.cohort.coordinator.spi.StoredTransaction;
import dev.cohort.coordinator.spi.TransactionStore;
import dev.cohort.coordinator.spi.WriteResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's use of the engine's log. Presumed abort: only a commit decision is written (one
 * insert of a global transaction in mode {@code xa}, status COMMITTING, one branch per prepared
 * resource), then COMMITTED once phase two finished; a transaction without a record is rolled back.
 * Heuristic outcomes become FAILED with the details, so operators see them through the same status
 * API and {@code ./cohort tx} commands as TCC and saga transactions.
 *
 * <p>The records are owned by {@code xa:<node>} with a lease and due time at the end of time, so
 * that an engine sharing the log never claims them: only this manager's recovery finishes them.
 */
public final class DecisionLog {
  /** Lease and due time of XA records: engines' pollers never see them as due. */
  static final Instant NEVER = Instant.parse("9999-01-01T00:00:00Z");

  /**
   * How long a COMMITTED record waits at least (at most twice that) for a decision to ride with.
   */
  static final Duration COMPLETION_DELAY = Duration.ofMillis(200);

  private static final Logger LOG = LoggerFactory.getLogger(DecisionLog.class);

  private final TransactionStore store;
  private final String owner;
  private final Clock clock;
  private final Completions completions;

  /** {@code scheduler} writes a COMMITTED record no commit decision came to carry. */
  public DecisionLog(TransactionStore store, String node, Clock clock, Scheduler scheduler) {
    this.store = store;
    this.owner = "xa:" + node;
    this.clock = clock;
    this.completions = new Completions(scheduler, COMPLETION_DELAY, this::writeCompletions);
  }

  String owner() {
    return owner;
  }

  /**
   * Writes the commit decision; the future completes once it is durable. The COMMITTED records
   * waiting go with it in one submission, so the log's writer puts them into the same group commit
   * (one flush). Queued separately, the writer, idle at one caller, took the COMMITTED records
   * alone and flushed them while the decision waited behind that flush: 1.7 flushes per transaction
   * instead of 1, measured with XaBench.
   */
  CompletableFuture<GlobalRecord> commitDecided(String gid, List<Branch> prepared) {
    List<GlobalRecord> done = completions.takeWaiting();
    Instant now = clock.instant();
    GlobalRecord global = record(gid, GlobalStatus.COMMITTING, null, now);
    List<BranchRecord> branches = new ArrayList<>();
    for (Branch b : prepared) {
      branches.add(
          new BranchRecord(
              global.gid(),
              BranchId.of("b" + b.number),
              b.number,
              b.resource,
              b.xid.toString(),
              false,
              BranchStatus.SUCCEEDED,
              0,
              null));
    }
    List<LogUnit> units = new ArrayList<>(done.size() + 1);
    for (GlobalRecord g : done) {
      units.add(committedUnit(g));
    }
    units.add(new LogUnit(new LogUnit.Insert(global, branches), List.of()));
    List<CompletableFuture<WriteResult>> writes = store.writeTogether(units);
    for (int i = 0; i < done.size(); i++) {
      var unused = reportFailure(done.get(i), writes.get(i));
    }
    return writes.getLast().thenApply(result -> requireApplied(result, gid, global));
  }

  /**
   * Phase two finished: COMMITTING → COMMITTED, written with the next commit decision or after one
   * to two {@link #COMPLETION_DELAY}s.
   */
  void committedLater(GlobalRecord committing) {
    completions.add(committing);
  }

  /** Writes the COMMITTED records still waiting; the futures complete once each is written. */
  public List<CompletableFuture<?>> writeWaitingCompletions() {
    return completions.writeWaiting();
  }

  /** The COMMITTED records no decision came to carry, in one submission. */
  private List<CompletableFuture<?>> writeCompletions(List<GlobalRecord> done) {
    List<LogUnit> units = new ArrayList<>(done.size());
    for (GlobalRecord g : done) {
      units.add(committedUnit(g));
    }
    List<CompletableFuture<WriteResult>> writes = store.writeTogether(units);
    List<CompletableFuture<?>> reported = new ArrayList<>(writes.size());
    for (int i = 0; i < done.size(); i++) {
      reported.add(reportFailure(done.get(i), writes.get(i)));
    }
    return reported;
  }

  private static CompletableFuture<?> reportFailure(
      GlobalRecord committing, CompletableFuture<WriteResult> write) {
    return write.whenComplete((result, failure) -> {
      if (failure != null) {
        LOG.error(
            "XA transaction {}: writing COMMITTED failed; recovery will write it",
            committing.gid().value(),
            failure);
      }
    });
  }

  /** Phase two finished: COMMITTING → COMMITTED, every branch confirmed (now). */
  CompletableFuture<WriteResult> committed(GlobalRecord committing) {
    return store.write(committedUnit(committing));
  }

  private LogUnit committedUnit(GlobalRecord committing) {
    GlobalRecord done = committing.withStatus(GlobalStatus.COMMITTED, clock.instant());
    return new LogUnit(
        new LogUnit.Cas(GlobalStatus.COMMITTING, done),
        List.of(
            new LogUnit.AdvanceBranches(
                committing.gid(), BranchStatus.SUCCEEDED, BranchStatus.CONFIRMED)));
  }

  /** A heuristic outcome after the decision: COMMITTING → FAILED with {@code details}. */
  CompletableFuture<WriteResult> failed(GlobalRecord committing, String details) {
    Instant now = clock.instant();
    GlobalRecord failed =
        committing
            .withStatus(GlobalStatus.FAILED, now)
            .withPhase(now, GlobalStatus.COMMITTING, details);
    return store.write(new LogUnit(new LogUnit.Cas(GlobalStatus.COMMITTING, failed), List.of()));
  }

  /**
   * A heuristic outcome of a transaction that had no record (one-phase commit, rollback): a new
   * FAILED record with {@code details}.
   */
  CompletableFuture<WriteResult> failedWithoutDecision(String gid, String details) {
    Instant now = clock.instant();
    GlobalRecord failed = record(gid, GlobalStatus.FAILED, details, now);
    return store.write(new LogUnit(new LogUnit.Insert(failed, List.of()), List.of()));
  }

  Optional<StoredTransaction> load(String gid) {
    return store.load(Gid.of(gid));
  }

  /** This node's XA transactions still COMMITTING, oldest first. */
  List<StoredTransaction> committing(int limit) {
    List<StoredTransaction> mine = new ArrayList<>();
    for (GlobalRecord g : store.findByStatus(GlobalStatus.COMMITTING, limit)) {
      if (Mode.XA.equals(g.mode()) && owner.equals(g.owner())) {
        store.load(g.gid()).ifPresent(mine::add);
      }
    }
    return mine;
  }

  private GlobalRecord record(String gid, GlobalStatus status, String reason, Instant now) {
    return GlobalRecord.fromLog(
        Gid.of(gid),
        Mode.XA,
        status,
        status == GlobalStatus.FAILED ? GlobalStatus.COMMITTING : null,
        false,
        NEVER,
        NEVER,
        0,
        now,
        owner,
        NEVER,
        reason,
        now,
        now);
  }

  private static GlobalRecord requireApplied(WriteResult result, String gid, GlobalRecord g) {
    if (result != WriteResult.APPLIED) {
      throw new IllegalStateException(
          "the log refused the commit decision of XA transaction "
              + gid
              + " ("
              + result
              + "): a transaction with this gid is already logged");
    }
    return g;
  }
}
