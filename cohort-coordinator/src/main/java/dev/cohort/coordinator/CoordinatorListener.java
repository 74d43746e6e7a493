package dev.cohort.coordinator;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;

/**
 * Hears what the engine does. Calls come on engine threads after the change is durable; an
 * exception thrown here is logged and otherwise ignored, so a broken listener cannot stop delivery.
 * A slow one slows the engine, so hand heavy work to another thread.
 */
public interface CoordinatorListener {
  /**
   * {@code listeners} as one, in order; each is guarded on its own, so one that throws does not
   * keep the others from hearing the event.
   */
  static CoordinatorListener all(java.util.List<CoordinatorListener> listeners) {
    return new dev.cohort.coordinator.internal.CompositeListener(listeners);
  }

  /** A status change is durable; {@code from} is null when the transaction was just begun. */
  default void onTransition(Gid gid, GlobalStatus from, GlobalStatus to) {}

  /**
   * The same event with the transaction's mode, for metrics by mode. The engine calls this one; by
   * default it forwards to {@link #onTransition(Gid, GlobalStatus, GlobalStatus)}.
   */
  default void onTransition(Gid gid, Mode mode, GlobalStatus from, GlobalStatus to) {
    onTransition(gid, from, to);
  }

  /**
   * One phase-two call (confirm, cancel or compensate: the call that would move the branch to
   * {@code target}) returned; {@code succeeded} is false when it threw and will be retried.
   */
  default void onPhaseTwoCall(
      Gid gid, Mode mode, BranchId branch, BranchStatus target, boolean succeeded) {}

  /** A branch status change is durable. Fine-grained: meant for metrics and tests. */
  default void onBranchTransition(Gid gid, BranchId branch, BranchStatus from, BranchStatus to) {}

  /**
   * A transaction became FAILED and waits for an operator ({@code retryNow}, {@code markResolved}).
   */
  default void onFailed(FailureAlert alert) {}
}
