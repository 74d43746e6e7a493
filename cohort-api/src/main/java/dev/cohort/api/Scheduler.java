package dev.cohort.api;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the engine's delayed work: retries, the recovery poll, try-phase deadlines. Injected so that
 * tests move time by hand (see {@link dev.cohort.testing.time.ManualScheduler}).
 */
public interface Scheduler extends AutoCloseable {
  /** Name of the thread {@link #system()} runs its tasks on. */
  String SYSTEM_THREAD_NAME = "cohort-scheduler";

  /** A handle to cancel a scheduled task. */
  interface Cancellable {
    void cancel();
  }

  Cancellable schedule(Duration delay, Runnable task);

  /**
   * Runs {@code task} every {@code every}, the first run {@code every} from now, each next run
   * {@code every} after the previous one ended (so runs never overlap). A run that throws is logged
   * and the repetition goes on; the returned handle stops it. Built on {@link #schedule}, so a
   * manual scheduler drives it too.
   */
  default Cancellable scheduleRepeatedly(Duration every, Runnable task) {
    Objects.requireNonNull(every, "every");
    Objects.requireNonNull(task, "task");
    if (every.isNegative() || every.isZero()) {
      throw new InvalidInputException(
          "a repeated task needs a positive interval, but every was " + every);
    }
    return Repetition.start(this, every, task);
  }

  @Override
  default void close() {}

  /** A real scheduler on one daemon thread; closed with the engine. */
  static Scheduler system() {
    return system(SYSTEM_THREAD_NAME);
  }

  /** {@link #system()} on a thread named {@code threadName}, so a thread dump says whose it is. */
  static Scheduler system(String threadName) {
    Objects.requireNonNull(threadName, "threadName");
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(runnable -> {
          Thread thread = new Thread(runnable, threadName);
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
