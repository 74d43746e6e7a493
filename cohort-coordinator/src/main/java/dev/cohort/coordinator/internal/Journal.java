package dev.cohort.coordinator.internal;

import dev.cohort.api.BranchStatus;
import dev.cohort.api.DuplicateTransactionException;
import dev.cohort.api.GlobalStatus;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.LogUnit;
import dev.cohort.coordinator.spi.LogUnit.AdvanceBranches;
import dev.cohort.coordinator.spi.LogUnit.BranchWrite;
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

/**
 * The only way the engine changes a transaction: checks the transition against the status tables,
 * writes it durably with a compare-and-set, then updates the in-memory {@link Tx} and tells the
 * listener. Participants are called only after the write returned, which is the write-ahead rule.
 */
final class Journal {
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
    listener.onTransition(tx.global.gid(), null, tx.global.status());
  }

  /** Moves the global status to {@code to}; false when someone else moved it first. */
  boolean transition(
      Tx tx, GlobalStatus to, UnaryOperator<GlobalRecord> change, List<BranchWrite> writes) {
    GlobalStatus from = tx.global.status();
    from.transition(tx.global.gid(), to);
    GlobalRecord updated = change.apply(tx.global.withStatus(to, now()));
    if (!apply(tx, updated, writes)) {
      return false;
    }
    listener.onTransition(tx.global.gid(), from, to);
    return true;
  }

  /** Rewrites bookkeeping (schedule, attempts, branch results) without a status change. */
  boolean update(Tx tx, UnaryOperator<GlobalRecord> change, List<BranchWrite> writes) {
    GlobalRecord updated = change.apply(tx.global.withStatus(tx.global.status(), now()));
    return apply(tx, updated, writes);
  }

  /** A write moving {@code branch} to {@code to}, checked against the branch table. */
  UpdateBranch branchTo(Tx tx, BranchRecord branch, BranchStatus to) {
    branch.status().transition(tx.global.gid(), branch.branchId(), to);
    return new UpdateBranch(branch.status(), branch.withStatus(to));
  }

  /** A write recording a failed call; the status stays. */
  UpdateBranch branchFailed(BranchRecord branch, String error) {
    return new UpdateBranch(branch.status(), branch.withFailure(error));
  }

  private boolean apply(Tx tx, GlobalRecord updated, List<BranchWrite> writes) {
    for (BranchWrite w : writes) {
      if (w instanceof AdvanceBranches advance) {
        for (BranchRecord b : tx.branches) {
          if (b.status() == advance.from()) {
            advance.from().transition(b.gid(), b.branchId(), advance.to());
          }
        }
      }
    }
    WriteResult result = write(new LogUnit(new LogUnit.Cas(tx.global.status(), updated), writes));
    if (result != WriteResult.APPLIED) {
      return false;
    }
    tx.global = updated;
    List<BranchRecord[]> changes = new ArrayList<>();
    for (BranchWrite w : writes) {
      switch (w) {
        case UpdateBranch u -> {
          changes.add(new BranchRecord[] {u.expected() == null ? null : find(tx, u), u.updated()});
          tx.replace(u.updated());
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
    for (BranchRecord[] change : changes) {
      if (change[0] != null && change[0].status() != change[1].status()) {
        listener.onBranchTransition(
            change[1].gid(), change[1].branchId(), change[0].status(), change[1].status());
      }
    }
    return true;
  }

  private static BranchRecord find(Tx tx, UpdateBranch u) {
    for (BranchRecord b : tx.branches) {
      if (b.branchId().equals(u.updated().branchId())) {
        return b;
      }
    }
    return null;
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
