package dev.cohort.participant;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose tasks run only when the test calls {@link #runAll()}: periodic work is tested
 * without waiting for time to pass.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  final List<Task> tasks = new ArrayList<>();
  private boolean shutdown;

  /** Runs every task not cancelled once, in the calling thread; one-shot tasks are then done. */
  void runAll() {
    for (Task t : List.copyOf(tasks)) {
      if (!t.cancelled && !t.done) {
        t.command.run();
        t.runs++;
        t.done = !t.periodic;
      }
    }
  }

  List<Task> live() {
    return tasks.stream().filter(t -> !t.cancelled && !t.done).toList();
  }

  private Task add(Runnable command, long delay, long period, TimeUnit unit) {
    if (shutdown) {
      throw new IllegalStateException("shut down");
    }
    Task t = new Task(command, unit.toMillis(delay), unit.toMillis(period));
    tasks.add(t);
    return t;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(command, delay, 0, unit);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("not needed by the tests");
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    return add(command, initialDelay, period, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return add(command, initialDelay, delay, unit);
  }

  @Override
  public void execute(Runnable command) {
    // Executor.execute has no future to hand back; a failing task still fails its run() call.
    var unused = add(command, 0, 0, TimeUnit.MILLISECONDS);
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return shutdown;
  }

  static final class Task implements ScheduledFuture<Object> {
    final Runnable command;
    final long initialDelayMillis;
    final long periodMillis;
    final boolean periodic;
    int runs;
    boolean cancelled;
    boolean done;

    Task(Runnable command, long initialDelayMillis, long periodMillis) {
      this.command = command;
      this.initialDelayMillis = initialDelayMillis;
      this.periodMillis = periodMillis;
      this.periodic = periodMillis > 0;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(initialDelayMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.MILLISECONDS), o.getDelay(TimeUnit.MILLISECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelled = true;
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return cancelled || done;
    }

    @Override
    public Object get() {
      return null;
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      return null;
    }
  }
}
