package dev.cohort.coordinator.internal;

import dev.cohort.api.BranchId;
import dev.cohort.api.Gid;
import java.time.Duration;
import java.util.List;

/**
 * A transaction as the public builders describe it, before it is begun.
 *
 * @param timeout null for the engine's default
 */
public record Plan(Gid gid, Duration timeout, boolean parallel, List<Step> steps) {
  public Plan {
    steps = List.copyOf(steps);
  }

  /** One branch: a TCC branch or a saga step. */
  public record Step(BranchId id, String participant, String payload, boolean forward) {}
}
