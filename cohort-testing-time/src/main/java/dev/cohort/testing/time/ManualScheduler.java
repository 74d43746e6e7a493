package dev.cohort.testing.time;

import dev.cohort.api.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A scheduler that runs nothing until {@link #advance} moves its {@link MutableClock}; then it runs
 * every task that became due, in time order, on the calling thread.
 */
public final class ManualScheduler implements Scheduler {
  private final MutableClock clock;
  private final List<Task> tasks = new ArrayList<>();
  private long sequence;

  public ManualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  private record Task(Instant due, long seq, Runnable action, AtomicBoolean cancelled) {}

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
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
   * Moves time forward task by task: each due task runs with the clock at its own due time, so a
   * task that reschedules itself every period runs once per period of {@code by}. Ends with the
   * clock exactly {@code by} later.
   */
  public void elapse(Duration by) {
    Instant until = clock.instant().plus(by);
    while (true) {
      Instant due;
      synchronized (this) {
        due =
            tasks.stream()
                .filter(t -> !t.cancelled().get() && !t.due().isAfter(until))
                .map(Task::due)
                .min(Comparator.naturalOrder())
                .orElse(null);
      }
      if (due == null) {
        break;
      }
      if (due.isAfter(clock.instant())) {
        clock.set(due);
      }
      runDue();
    }
    clock.set(until);
  }

  /** Runs every task due now, including tasks those tasks schedule for now or earlier. */
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
}
