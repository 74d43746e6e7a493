package dev.cohort.replica.internal;

import dev.cohort.api.Scheduler;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default {@link Scheduler}: daemon threads, one per node, so a probe hanging on one node (up
 * to the probe timeout) does not hold up the others'.
 */
public final class ThreadScheduler implements Scheduler {
  private final ScheduledExecutorService executor;

  public ThreadScheduler(String name, int threads) {
    AtomicInteger count = new AtomicInteger();
    ScheduledThreadPoolExecutor pool =
        new ScheduledThreadPoolExecutor(
            threads,
            r -> {
              Thread t = new Thread(r, name + "-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    // Cancelled polls would otherwise stay queued until their time comes.
    pool.setRemoveOnCancelPolicy(true);
    this.executor = pool;
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
