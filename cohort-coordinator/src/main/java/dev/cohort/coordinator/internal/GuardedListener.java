package dev.cohort.coordinator.internal;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.coordinator.CoordinatorListener;
import dev.cohort.coordinator.FailureAlert;

/** Calls the user's listener and swallows what it throws: a broken listener must not stop us. */
final class GuardedListener {
  private static final System.Logger LOG = System.getLogger(GuardedListener.class.getName());

  private final CoordinatorListener delegate;

  GuardedListener(CoordinatorListener delegate) {
    this.delegate = delegate;
  }

  void onTransition(Gid gid, GlobalStatus from, GlobalStatus to) {
    try {
      delegate.onTransition(gid, from, to);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "listener failed on " + gid + " " + from + "->" + to, e);
    }
  }

  void onBranchTransition(Gid gid, BranchId branch, BranchStatus from, BranchStatus to) {
    try {
      delegate.onBranchTransition(gid, branch, from, to);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "listener failed on branch " + gid + "/" + branch, e);
    }
  }

  void onFailed(FailureAlert alert) {
    // The alert is also logged here, so a FAILED transaction is visible without any listener.
    LOG.log(
        System.Logger.Level.ERROR,
        "transaction "
            + alert.gid()
            + " FAILED while "
            + alert.stuckIn().code()
            + " after "
            + alert.attempts()
            + " attempts over "
            + alert.elapsed()
            + ": "
            + alert.reason()
            + "; it waits for retryNow or markResolved");
    try {
      delegate.onFailed(alert);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "listener failed on alert for " + alert.gid(), e);
    }
  }
}
