package dev.cohort.participant;

import java.time.Instant;
import java.util.List;

/** Where a participant keeps its held branches: usually a reservation table of its own. */
@FunctionalInterface
public interface HeldBranches {
  /** At most {@code limit} branches held since before {@code cutoff}, oldest first. */
  List<HeldBranch> heldBefore(Instant cutoff, int limit);
}
