package dev.cohort.api;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the engine's delayed work: retries, the recovery poll, try-phase deadlines. Injected so that
 * tests move time by hand (see {@link dev.cohort.testing.time.ManualScheduler}).
 */
public interface Scheduler extends AutoCloseable {
  /** A handle to cancel a scheduled task. */
  interface Cancellable {
    void cancel();
  }

  Cancellable schedule(Duration delay, Runnable task);

  @Override
  default void close() {}

  /** A real scheduler on one daemon thread; closed with the engine. */
  static Scheduler system() {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(runnable -> {
          Thread thread = new Thread(runnable, "cohort-scheduler");
          thread.setDaemon(true);
          return thread;
        });
    return new Scheduler() {
      @Override
      public Cancellable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> future =
            executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
      }

      @Override
      public void close() {
        executor.shutdownNow();
      }
    };
  }
}
