package dev.cohort.coordinator.internal;

import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.StoredTransaction;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's in-memory copy of one transaction while it drives it. Changed only by {@link
 * Journal}, after the change is durable, so it never runs ahead of the log.
 */
final class Tx {
  GlobalRecord global;
  final List<BranchRecord> branches;

  Tx(GlobalRecord global, List<BranchRecord> branches) {
    this.global = global;
    this.branches = new ArrayList<>(branches);
  }

  Tx(StoredTransaction stored) {
    this(stored.global(), stored.branches());
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
