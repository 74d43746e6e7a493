package dev.cohort.testing.time;

import dev.cohort.api.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A scheduler that runs nothing until {@link #advance} moves its {@link MutableClock}; then it runs
 * every task that became due, in time order, on the calling thread. {@link #advanceInSteps} instead
 * stops the clock at each task's due time, as a real clock would, so a repeating task runs once per
 * period passed.
 */
public final class ManualScheduler implements Scheduler {
  private final MutableClock clock;
  private final List<Task> tasks = new ArrayList<>();
  private long sequence;
  private boolean closed;

  public ManualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  private record Task(Instant due, long seq, Runnable action, AtomicBoolean cancelled) {}

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    if (closed) {
      throw new RejectedExecutionException(
          "this ManualScheduler was closed; whoever closed it owned it, so nothing may schedule on"
              + " it any more");
    }
    AtomicBoolean cancelled = new AtomicBoolean();
    tasks.add(new Task(clock.instant().plus(delay), sequence++, task, cancelled));
    return () -> {
      synchronized (ManualScheduler.this) {
        cancelled.set(true);
      }
    };
  }

  /** Moves time forward and runs what became due, including tasks those tasks schedule. */
  public void advance(Duration by) {
    clock.advance(by);
    runDue();
  }

  /**
   * Moves time forward to each pending task's due time in turn and runs it there, including tasks
   * those tasks schedule within the span; ends with the clock {@code by} later than it started.
   */
  public void advanceInSteps(Duration by) {
    Instant end = clock.instant().plus(by);
    while (true) {
      Instant due = nextDueNoLaterThan(end);
      if (due == null) {
        break;
      }
      if (due.isAfter(clock.instant())) {
        clock.set(due);
      }
      runDue();
    }
    clock.set(end);
    runDue();
  }

  private synchronized Instant nextDueNoLaterThan(Instant end) {
    return tasks.stream()
        .filter(t -> !t.cancelled().get() && !t.due().isAfter(end))
        .map(Task::due)
        .min(Comparator.naturalOrder())
        .orElse(null);
  }

  /** Runs every task due at the clock's current time, in time order, on the calling thread. */
  public void runDue() {
    while (true) {
      Task next;
      synchronized (this) {
        next =
            tasks.stream()
                .filter(t -> !t.due().isAfter(clock.instant()))
                .min(Comparator.comparing(Task::due).thenComparingLong(Task::seq))
                .orElse(null);
        if (next == null) {
          return;
        }
        tasks.remove(next);
        if (next.cancelled().get()) {
          continue;
        }
      }
      next.action().run();
    }
  }

  /** Delays of the pending, uncancelled tasks from now; for asserting a backoff schedule. */
  public synchronized List<Duration> pendingDelays() {
    List<Duration> delays = new ArrayList<>();
    for (Task t : tasks) {
      if (!t.cancelled().get()) {
        delays.add(Duration.between(clock.instant(), t.due()));
      }
    }
    delays.sort(Comparator.naturalOrder());
    return delays;
  }

  /** Marks the scheduler closed: scheduling afterwards throws, so a test sees who closed it. */
  @Override
  public synchronized void close() {
    closed = true;
  }

  public synchronized boolean isClosed() {
    return closed;
  }
}
