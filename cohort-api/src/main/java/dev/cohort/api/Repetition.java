package dev.cohort.api;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@link Scheduler#scheduleRepeatedly}: one task that schedules its next run when a run ends, so
 * any {@link Scheduler} (a real one or a manual one) can repeat work without a second scheduling
 * API.
 */
final class Repetition implements Scheduler.Cancellable {
  private static final System.Logger LOG = System.getLogger(Repetition.class.getName());

  private final Scheduler scheduler;
  private final Duration every;
  private final Runnable task;
  private boolean cancelled;
  private Scheduler.Cancellable next;

  private Repetition(Scheduler scheduler, Duration every, Runnable task) {
    this.scheduler = scheduler;
    this.every = every;
    this.task = task;
  }

  static Repetition start(Scheduler scheduler, Duration every, Runnable task) {
    Repetition repetition = new Repetition(scheduler, every, task);
    repetition.scheduleNext();
    return repetition;
  }

  private synchronized void scheduleNext() {
    if (cancelled) {
      return;
    }
    try {
      next = scheduler.schedule(every, this::runOnce);
    } catch (RejectedExecutionException e) {
      // The scheduler was closed under us: there is nobody left to run the next one.
      cancelled = true;
    }
  }

  private void runOnce() {
    synchronized (this) {
      if (cancelled) {
        return;
      }
    }
    try {
      task.run();
    } catch (RuntimeException e) {
      // One failed run must not end the repetition: the next one tries again.
      LOG.log(Level.WARNING, "a repeated task failed; it runs again in " + every, e);
    } finally {
      scheduleNext();
    }
  }

  @Override
  public synchronized void cancel() {
    cancelled = true;
    if (next != null) {
      next.cancel();
    }
  }
}
