package dev.cohort.participant;

/**
 * Applies the decided outcome to one held branch, through the same barrier as the coordinator's own
 * confirm and cancel calls (same gid, branch id and operation), so whichever arrives second is a
 * {@link BarrierResult#DUPLICATE_SKIPPED} no-op.
 */
public interface BranchSettler {
  BarrierResult confirm(HeldBranch branch) throws Exception;

  BarrierResult cancel(HeldBranch branch) throws Exception;
}
