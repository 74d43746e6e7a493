package dev.cohort.coordinator.internal;

import dev.cohort.api.BranchStatus;
import dev.cohort.api.DuplicateTransactionException;
import dev.cohort.api.GlobalStatus;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.LogUnit;
import dev.cohort.coordinator.spi.LogUnit.AdvanceBranches;
import dev.cohort.coordinator.spi.LogUnit.BranchWrite;
import dev.cohort.coordinator.spi.LogUnit.InsertBranch;
import dev.cohort.coordinator.spi.LogUnit.UpdateBranch;
import dev.cohort.coordinator.spi.StoreException;
import dev.cohort.coordinator.spi.TransactionStore;
import dev.cohort.coordinator.spi.WriteResult;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only way the engine changes a transaction: checks the transition against the status tables,
 * writes it durably with a compare-and-set, then updates the in-memory {@link Tx} and tells the
 * listener. Participants are called only after the write returned, which is the write-ahead rule.
 */
final class Journal {
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

  private final TransactionStore store;
  private final Clock clock;
  private final GuardedListener listener;

  Journal(TransactionStore store, Clock clock, GuardedListener listener) {
    this.store = store;
    this.clock = clock;
    this.listener = listener;
  }

  Instant now() {
    return clock.instant();
  }

  void begin(Tx tx) {
    WriteResult result = write(new LogUnit(new LogUnit.Insert(tx.global, tx.branches), List.of()));
    if (result == WriteResult.DUPLICATE) {
      throw new DuplicateTransactionException(tx.global.gid(), null);
    }
    listener.onTransition(tx.global.gid(), tx.global.mode(), null, tx.global.status());
  }

  /**
   * Moves the global status to {@code to}; false when someone else moved it first. A transaction
   * not in the log yet (presumed abort) is inserted whole in its new status; false when its gid was
   * taken meanwhile.
   */
  boolean transition(
      Tx tx, GlobalStatus to, UnaryOperator<GlobalRecord> change, List<BranchWrite> writes) {
    GlobalStatus from = tx.global.status();
    from.transition(tx.global.gid(), to);
    GlobalRecord updated = change.apply(tx.global.withStatus(to, now()));
    if (!tx.logged) {
      return insertDecided(tx, from, updated, writes);
    }
    if (!apply(tx, updated, writes)) {
      return false;
    }
    listener.onTransition(tx.global.gid(), tx.global.mode(), from, to);
    return true;
  }

  /**
   * The first write of a presumed-abort transaction: the global row in its decided status and every
   * branch as the writes leave it, in one insert that also carries the calls for the attempt
   * history. The listener hears the begin and the decision together, once both are durable.
   */
  private boolean insertDecided(
      Tx tx, GlobalStatus from, GlobalRecord updated, List<BranchWrite> writes) {
    checkAdvances(tx, writes);
    Tx decided = new Tx(tx.global, tx.branches);
    applyInMemory(decided, updated, writes);
    List<BranchWrite> calls = new ArrayList<>();
    for (BranchWrite w : writes) {
      if (w instanceof LogUnit.RecordAttempt) {
        calls.add(w);
      }
    }
    WriteResult result = write(new LogUnit(new LogUnit.Insert(updated, decided.branches), calls));
    tx.logged = true;
    if (result == WriteResult.DUPLICATE) {
      reload(tx);
      return false;
    }
    tx.global = decided.global;
    tx.branches.clear();
    tx.branches.addAll(decided.branches);
    listener.onTransition(updated.gid(), updated.mode(), null, from);
    listener.onTransition(updated.gid(), updated.mode(), from, updated.status());
    return true;
  }

  /** Rewrites bookkeeping (schedule, attempts, branch results) without a status change. */
  boolean update(Tx tx, UnaryOperator<GlobalRecord> change, List<BranchWrite> writes) {
    if (!tx.logged) {
      throw new IllegalStateException(
          "transaction "
              + tx.global.gid()
              + " is not in the log yet (presumed abort): its first write must be a transition");
    }
    GlobalRecord updated = change.apply(tx.global.withStatus(tx.global.status(), now()));
    return apply(tx, updated, writes);
  }

  /** A write moving {@code branch} to {@code to}, checked against the branch table. */
  UpdateBranch branchTo(Tx tx, BranchRecord branch, BranchStatus to) {
    branch.status().transition(tx.global.gid(), branch.branchId(), to);
    return new UpdateBranch(branch.status(), branch.withStatus(to));
  }

  /** A write adding {@code branch} to an open transaction. */
  InsertBranch branchAdded(BranchRecord branch) {
    if (branch.status() != BranchStatus.REGISTERED) {
      throw new IllegalStateException("a new branch starts REGISTERED, not " + branch.status());
    }
    return new InsertBranch(branch);
  }

  /** A write recording a failed call; the status stays. */
  UpdateBranch branchFailed(BranchRecord branch, String error) {
    return new UpdateBranch(branch.status(), branch.withFailure(error));
  }

  /**
   * Like {@link #transition} to a terminal status, but does not wait for the write: the caller is
   * done once the participants heard phase two. The in-memory copy stays in the decided status
   * (committing, rolling back), because that is what the log holds until the write lands: an answer
   * never says more than the log, so no later read (on this node or another) can show a status
   * going backwards. If the write is lost, recovery repeats phase two, which participants must
   * accept anyway.
   */
  void finishQueued(Tx tx, GlobalStatus to, List<BranchWrite> writes) {
    GlobalStatus from = tx.global.status();
    from.transition(tx.global.gid(), to);
    GlobalRecord updated = tx.global.withStatus(to, now());
    checkAdvances(tx, writes);
    LogUnit unit = new LogUnit(new LogUnit.Cas(from, updated), writes);
    List<BranchRecord[]> changes = applyInMemory(new Tx(tx.global, tx.branches), updated, writes);
    // Nobody waits for this write: its outcome is handled (logged, or announced) right here.
    var unused =
        store
            .write(unit)
            .whenComplete((result, error) -> {
              if (error == null && result == WriteResult.APPLIED) {
                listener.onTransition(updated.gid(), updated.mode(), from, to);
                notifyBranches(changes);
              } else {
                LOG.warn(
                    "the final write of "
                        + updated.gid()
                        + " did not apply ("
                        + (error == null ? result : error)
                        + "); recovery will repeat phase two");
              }
            });
  }

  private static void checkAdvances(Tx tx, List<BranchWrite> writes) {
    for (BranchWrite w : writes) {
      if (w instanceof AdvanceBranches advance) {
        for (BranchRecord b : tx.branches) {
          if (b.status() == advance.from()) {
            advance.from().transition(b.gid(), b.branchId(), advance.to());
          }
        }
      }
    }
  }

  private boolean apply(Tx tx, GlobalRecord updated, List<BranchWrite> writes) {
    checkAdvances(tx, writes);
    // An OPEN transaction's attempts count its registrations: pinning them means a commit or an
    // abort decided on a branch set misses if a branch joined since, instead of leaving it behind.
    int pinned =
        tx.global.status() == GlobalStatus.OPEN ? tx.global.attempts() : LogUnit.Cas.ANY_ATTEMPTS;
    WriteResult result =
        write(new LogUnit(new LogUnit.Cas(tx.global.status(), updated, pinned), writes));
    if (result != WriteResult.APPLIED) {
      // Someone else moved the transaction (an operator, or an engine that took over an expired
      // lease): take the log's word for where it is, so callers report the truth.
      reload(tx);
      return false;
    }
    notifyBranches(applyInMemory(tx, updated, writes));
    return true;
  }

  private void reload(Tx tx) {
    store
        .load(tx.global.gid())
        .ifPresent(current -> {
          tx.global = current.global();
          tx.branches.clear();
          tx.branches.addAll(current.branches());
        });
  }

  private static List<BranchRecord[]> applyInMemory(
      Tx tx, GlobalRecord updated, List<BranchWrite> writes) {
    tx.global = updated;
    List<BranchRecord[]> changes = new ArrayList<>();
    for (BranchWrite w : writes) {
      switch (w) {
        case UpdateBranch u -> {
          changes.add(
              new BranchRecord[] {
                u.expected() == null ? null : tx.branch(u.updated().branchId()), u.updated()
              });
          tx.replace(u.updated());
        }
        case InsertBranch i -> tx.branches.add(i.branch());
        case LogUnit.RecordAttempt unused -> {
          // history only: the branch's own row says where it is
        }
        case AdvanceBranches a -> {
          for (BranchRecord b : List.copyOf(tx.branches)) {
            if (b.status() == a.from()) {
              BranchRecord moved = b.withStatus(a.to());
              changes.add(new BranchRecord[] {b, moved});
              tx.replace(moved);
            }
          }
        }
      }
    }
    return changes;
  }

  private void notifyBranches(List<BranchRecord[]> changes) {
    for (BranchRecord[] change : changes) {
      if (change[0] != null && change[0].status() != change[1].status()) {
        listener.onBranchTransition(
            change[1].gid(), change[1].branchId(), change[0].status(), change[1].status());
      }
    }
  }

  private WriteResult write(LogUnit unit) {
    try {
      return store.write(unit).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof StoreException se) {
        throw se;
      }
      throw new StoreException(
          "writing the log for transaction " + unit.gid() + " failed", e.getCause());
    }
  }
}
