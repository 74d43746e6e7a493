package dev.cohort.coordinator;

import dev.cohort.api.GlobalStatus;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import java.util.List;

/** A transaction and its branches as the log holds them. */
public record TransactionView(GlobalRecord global, List<BranchRecord> branches) {
  public GlobalStatus status() {
    return global.status();
  }
}
