package dev.cohort.replica.internal;

import java.time.Duration;

/**
 * Runs tasks later. The shape of the shared {@code dev.cohort.api.Scheduler} planned to replace it;
 * keep the two identical. A repeating task schedules itself again at the end of each run.
 */
public interface PollScheduler extends AutoCloseable {
  /** A scheduled task that has not run yet can be called off. */
  interface Cancellable {
    void cancel();
  }

  Cancellable schedule(Duration delay, Runnable task);

  @Override
  default void close() {}
}
