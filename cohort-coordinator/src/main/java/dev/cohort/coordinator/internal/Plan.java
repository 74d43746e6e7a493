package dev.cohort.coordinator.internal;

import dev.cohort.api.BranchId;
import dev.cohort.api.Gid;
import java.time.Duration;
import java.util.List;

/**
 * A transaction as the public builders describe it, before it is begun.
 *
 * @param timeout null for the engine's default
 * @param presumedAbort nothing is written before the branches run; the first write is the decision
 *     (only for a mode whose processor {@linkplain
 *     dev.cohort.coordinator.mode.ModeProcessor#presumesAbort() presumes abort})
 */
public record Plan(
    Gid gid, Duration timeout, boolean parallel, boolean presumedAbort, List<Step> steps) {
  public Plan {
    steps = List.copyOf(steps);
  }

  public Plan(Gid gid, Duration timeout, boolean parallel, List<Step> steps) {
    this(gid, timeout, parallel, false, steps);
  }

  /** One branch: a TCC branch or a saga step. */
  public record Step(BranchId id, String participant, String payload, boolean forward) {}
}
