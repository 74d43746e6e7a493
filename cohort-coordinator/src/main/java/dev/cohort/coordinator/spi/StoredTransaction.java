package dev.cohort.coordinator.spi;

import java.util.List;

/** A global transaction with its branches, ordered by {@link BranchRecord#seq()}. */
public record StoredTransaction(GlobalRecord global, List<BranchRecord> branches) {
  public StoredTransaction {
    branches = List.copyOf(branches);
  }
}
