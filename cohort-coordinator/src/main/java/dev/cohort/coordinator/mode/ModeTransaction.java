package dev.cohort.coordinator.mode;

import dev.cohort.api.BranchId;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import java.util.List;

/**
 * A transaction a processor is driving, as the log last confirmed it. Read-only: it changes only
 * through {@link ModeContext}'s writes, after they are durable (or, when a compare-and-set misses,
 * to what the log holds now), so a processor never acts on a state the log does not have.
 */
public interface ModeTransaction {
  GlobalRecord global();

  /** The branches in registration order (their {@code seq}); a read-only view. */
  List<BranchRecord> branches();

  /** The branch with {@code id}, or null. */
  BranchRecord branch(BranchId id);
}
