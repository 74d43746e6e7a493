package dev.cohort.coordinator.internal;

import dev.cohort.api.BranchId;
import dev.cohort.coordinator.mode.ModeTransaction;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.StoredTransaction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The engine's in-memory copy of one transaction while it drives it. Changed only by {@link
 * Journal}, after the change is durable, so it never runs ahead of the log.
 */
final class Tx implements ModeTransaction {
  /**
   * How often a request on an OPEN transaction re-reads it after another request moved it first, at
   * most, before giving up with an error the caller can retry.
   */
  static final int MAX_OPEN_RACES = 32;

  GlobalRecord global;
  final List<BranchRecord> branches;

  /**
   * False while a presumed-abort transaction runs its branches before its first write: its first
   * transition inserts it (see {@link Journal#transition}).
   */
  boolean logged = true;

  Tx(GlobalRecord global, List<BranchRecord> branches) {
    this.global = global;
    this.branches = new ArrayList<>(branches);
  }

  /** A transaction held in memory only until its first transition writes it whole. */
  static Tx unlogged(GlobalRecord global, List<BranchRecord> branches) {
    Tx tx = new Tx(global, branches);
    tx.logged = false;
    return tx;
  }

  Tx(StoredTransaction stored) {
    this(stored.global(), stored.branches());
  }

  /** The engine's own copy behind a transaction it handed to a processor. */
  static Tx of(ModeTransaction tx) {
    if (tx instanceof Tx own) {
      return own;
    }
    throw new IllegalArgumentException(
        "a processor can only change the transactions the engine handed it, not a "
            + (tx == null ? null : tx.getClass().getName()));
  }

  @Override
  public GlobalRecord global() {
    return global;
  }

  @Override
  public List<BranchRecord> branches() {
    return Collections.unmodifiableList(branches);
  }

  @Override
  public BranchRecord branch(BranchId id) {
    for (BranchRecord b : branches) {
      if (b.branchId().equals(id)) {
        return b;
      }
    }
    return null;
  }

  void replace(BranchRecord updated) {
    for (int i = 0; i < branches.size(); i++) {
      if (branches.get(i).branchId().equals(updated.branchId())) {
        branches.set(i, updated);
        return;
      }
    }
    throw new IllegalStateException("no branch " + updated.branchId() + " in " + global.gid());
  }
}
