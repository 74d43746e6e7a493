package dev.cohort.coordinator.internal;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.CoordinatorListener;
import dev.cohort.coordinator.FailureAlert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls the user's listener and swallows what it throws: a broken listener must not stop us. */
final class GuardedListener {
  private static final Logger LOG = LoggerFactory.getLogger(GuardedListener.class);

  private final CoordinatorListener delegate;

  GuardedListener(CoordinatorListener delegate) {
    this.delegate = delegate;
  }

  void onTransition(Gid gid, Mode mode, GlobalStatus from, GlobalStatus to) {
    try {
      delegate.onTransition(gid, mode, from, to);
    } catch (RuntimeException e) {
      LOG.warn("listener failed on " + gid + " " + from + "->" + to, e);
    }
  }

  void onBranchTransition(Gid gid, BranchId branch, BranchStatus from, BranchStatus to) {
    try {
      delegate.onBranchTransition(gid, branch, from, to);
    } catch (RuntimeException e) {
      LOG.warn("listener failed on branch " + gid + "/" + branch, e);
    }
  }

  void onPhaseTwoCall(Gid gid, Mode mode, BranchId branch, BranchStatus target, boolean ok) {
    try {
      delegate.onPhaseTwoCall(gid, mode, branch, target, ok);
    } catch (RuntimeException e) {
      LOG.warn("listener failed on call " + gid + "/" + branch, e);
    }
  }

  void onFailed(FailureAlert alert) {
    // The alert is also logged here, so a FAILED transaction is visible without any listener.
    LOG.error(
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
      LOG.warn("listener failed on alert for " + alert.gid(), e);
    }
  }
}
