package dev.cohort.chaos.internal;

import dev.cohort.api.Scheduler;
import dev.cohort.chaos.Fault;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Injects each fault every so often on the injected {@link Scheduler}, at most a given number of
 * times, until stopped. {@link #stop()} waits for an injection under way (a restart) to finish, so
 * that the system is whole again when the checker waits for quiescence.
 */
public final class FaultSchedule {
  /** One fault and its rhythm; {@code maxTimes} 0 means no limit. */
  public record Entry(Fault fault, java.time.Duration every, int maxTimes) {
    public Entry {
      Objects.requireNonNull(fault, "fault");
      Objects.requireNonNull(every, "every");
      if (every.isNegative() || every.isZero()) {
        throw new IllegalArgumentException(
            "fault '" + fault.name() + "' needs a positive interval, was " + every);
      }
      if (maxTimes < 0) {
        throw new IllegalArgumentException(
            "fault '" + fault.name() + "' maxTimes must be 0 (no limit) or more, was " + maxTimes);
      }
    }
  }

  private final List<Scheduler> schedulers;
  private final List<Entry> entries;
  private final List<Object> locks = new ArrayList<>();
  private final Map<String, Integer> injected = new LinkedHashMap<>();
  private final List<String> errors = new ArrayList<>();
  private final List<Scheduler.Cancellable> running = new ArrayList<>();
  private volatile boolean stopped;

  /** Every fault on one scheduler: their injections take turns. */
  public FaultSchedule(Scheduler scheduler, List<Entry> entries) {
    this(
        Collections.nCopies(entries.size(), Objects.requireNonNull(scheduler, "scheduler")),
        entries);
  }

  /**
   * Each fault on its own scheduler, so that a slow restart of one process does not hold back the
   * kills of another.
   */
  public FaultSchedule(List<Scheduler> schedulers, List<Entry> entries) {
    this.schedulers = List.copyOf(schedulers);
    this.entries = List.copyOf(entries);
    if (this.schedulers.size() != this.entries.size()) {
      throw new IllegalArgumentException(
          this.entries.size() + " faults need as many schedulers, got " + this.schedulers.size());
    }
    for (Entry e : this.entries) {
      injected.put(e.fault().name(), 0);
      locks.add(new Object());
    }
  }

  public synchronized void start() {
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      Object lock = locks.get(i);
      running.add(schedulers.get(i).scheduleRepeatedly(e.every(), () -> injectOnce(e, lock)));
    }
  }

  // One injection of a fault at a time; stop() waits for the one under way.
  private void injectOnce(Entry e, Object lock) {
    synchronized (lock) {
      String name = e.fault().name();
      if (stopped || (e.maxTimes() > 0 && injectedTimes(name) >= e.maxTimes())) {
        return;
      }
      try {
        e.fault().inject();
        synchronized (this) {
          injected.merge(name, 1, Integer::sum);
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        error(name + ": interrupted");
      } catch (Exception | Error ex) {
        error(name + ": " + ex);
      }
    }
  }

  private synchronized int injectedTimes(String name) {
    return injected.get(name);
  }

  private synchronized void error(String message) {
    errors.add(message);
  }

  /** Stops further injections; returns once none is under way. */
  public void stop() {
    stopped = true;
    synchronized (this) {
      running.forEach(Scheduler.Cancellable::cancel);
      running.clear();
    }
    for (Object lock : locks) {
      synchronized (lock) {
        // nothing: holding the lock means that fault's injection under way has finished
      }
    }
  }

  /** Fault name to how many times it was injected successfully. */
  public synchronized Map<String, Integer> injected() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(injected));
  }

  public synchronized List<String> errors() {
    return List.copyOf(errors);
  }
}
