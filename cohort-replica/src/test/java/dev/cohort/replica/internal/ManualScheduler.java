package dev.cohort.replica.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A {@link PollScheduler} on a {@link MutableClock}: tasks run when a test advances time. */
final class ManualScheduler implements PollScheduler {
  private final MutableClock clock;
  private final List<Entry> queue = new ArrayList<>();
  private boolean closed;

  private static final class Entry implements Cancellable {
    final Instant due;
    final Runnable task;
    boolean cancelled;

    Entry(Instant due, Runnable task) {
      this.due = due;
      this.task = task;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  ManualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Entry e = new Entry(clock.instant().plus(delay), task);
    if (!closed) {
      queue.add(e);
    }
    return e;
  }

  /** Moves the clock forward by {@code d}, running every task that falls due, in time order. */
  void advance(Duration d) {
    Instant until = clock.instant().plus(d);
    while (true) {
      Entry next =
          queue.stream()
              .filter(e -> !e.due.isAfter(until))
              .min(Comparator.comparing((Entry e) -> e.due))
              .orElse(null);
      if (next == null) {
        break;
      }
      queue.remove(next);
      if (next.due.isAfter(clock.instant())) {
        clock.advance(Duration.between(clock.instant(), next.due));
      }
      if (!next.cancelled) {
        next.task.run();
      }
    }
    if (until.isAfter(clock.instant())) {
      clock.advance(Duration.between(clock.instant(), until));
    }
  }

  /** Tasks waiting to run (cancelled ones excluded). */
  long pending() {
    return queue.stream().filter(e -> !e.cancelled).count();
  }

  @Override
  public void close() {
    closed = true;
    queue.clear();
  }
}
