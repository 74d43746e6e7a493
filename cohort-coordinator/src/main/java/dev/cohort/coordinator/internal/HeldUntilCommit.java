package dev.cohort.coordinator.internal;

import dev.cohort.api.BranchStatus;
import dev.cohort.api.GlobalStatus;
import dev.cohort.coordinator.mode.ModeContext;
import dev.cohort.coordinator.mode.ModeTransaction;
import java.time.Instant;
import java.util.List;

/**
 * What the commit protocols (2PC, 3PC) share while a transaction is {@code open}: their branches
 * are only logged until the commit, so submitting one starts the first voting round and aborting
 * one calls nobody.
 */
final class HeldUntilCommit {
  private final ModeContext ctx;

  HeldUntilCommit(ModeContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Moves an open transaction to {@code begun} under this node's lease, or finishes it at once when
   * it is late (rolled back) or empty (committed).
   *
   * @return whether the caller should now run its first round
   */
  boolean submit(ModeTransaction tx) {
    Instant now = ctx.now();
    if (now.isAfter(tx.global().deadline())) {
      abort(tx, "the commit arrived after the deadline " + tx.global().deadline());
      return false;
    }
    if (tx.branches().isEmpty()) {
      ctx.transition(tx, GlobalStatus.COMMITTED, g -> g, List.of());
      return false;
    }
    Instant leaseUntil = tx.global().deadline().plus(ctx.options().lease());
    return ctx.transition(
        tx,
        GlobalStatus.BEGUN,
        g ->
            g.withOwner(ctx.options().nodeId(), leaseUntil)
                .withSchedule(g.deadline(), leaseUntil, 0),
        List.of());
  }

  /** Nothing was asked before the commit, so nothing is called: every branch is skipped. */
  void abort(ModeTransaction tx, String reason) {
    Instant now = ctx.now();
    ctx.transition(
        tx,
        GlobalStatus.ROLLED_BACK,
        g -> g.withPhase(now, null, reason),
        List.of(ctx.advanceBranches(tx, BranchStatus.REGISTERED, BranchStatus.SKIPPED)));
  }
}
