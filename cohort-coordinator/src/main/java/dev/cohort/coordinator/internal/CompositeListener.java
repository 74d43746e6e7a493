package dev.cohort.coordinator.internal;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.CoordinatorListener;
import dev.cohort.coordinator.FailureAlert;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several listeners as the engine's one ({@link CoordinatorListener#all}). Each is guarded on its
 * own, so one that throws does not keep the others (the webhook, the meters) from hearing the
 * event.
 */
public final class CompositeListener implements CoordinatorListener {
  private static final Logger LOG = LoggerFactory.getLogger(CompositeListener.class);

  private final List<CoordinatorListener> listeners;

  public CompositeListener(List<CoordinatorListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void onTransition(Gid gid, Mode mode, GlobalStatus from, GlobalStatus to) {
    each(l -> l.onTransition(gid, mode, from, to));
  }

  @Override
  public void onPhaseTwoCall(
      Gid gid, Mode mode, BranchId branch, BranchStatus target, boolean succeeded) {
    each(l -> l.onPhaseTwoCall(gid, mode, branch, target, succeeded));
  }

  @Override
  public void onBranchTransition(Gid gid, BranchId branch, BranchStatus from, BranchStatus to) {
    each(l -> l.onBranchTransition(gid, branch, from, to));
  }

  @Override
  public void onFailed(FailureAlert alert) {
    each(l -> l.onFailed(alert));
  }

  private void each(java.util.function.Consumer<CoordinatorListener> call) {
    for (CoordinatorListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("coordinator listener {} failed", l.getClass().getName(), e);
      }
    }
  }
}
