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

  private final Scheduler scheduler;
  private final List<Entry> entries;
  private final Map<String, Integer> injected = new LinkedHashMap<>();
  private final List<String> errors = new ArrayList<>();
  private final List<Scheduler.Cancellable> running = new ArrayList<>();
  private boolean stopped;

  public FaultSchedule(Scheduler scheduler, List<Entry> entries) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.entries = List.copyOf(entries);
    for (Entry e : this.entries) {
      injected.put(e.fault().name(), 0);
    }
  }

  public synchronized void start() {
    for (Entry e : entries) {
      running.add(scheduler.scheduleRepeatedly(e.every(), () -> injectOnce(e)));
    }
  }

  // Synchronized: one injection at a time, and stop() waits for the one under way.
  private synchronized void injectOnce(Entry e) {
    String name = e.fault().name();
    if (stopped || (e.maxTimes() > 0 && injected.get(name) >= e.maxTimes())) {
      return;
    }
    try {
      e.fault().inject();
      injected.merge(name, 1, Integer::sum);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      errors.add(name + ": interrupted");
    } catch (Exception | Error ex) {
      errors.add(name + ": " + ex);
    }
  }

  /** Stops further injections; returns once none is under way. */
  public synchronized void stop() {
    stopped = true;
    running.forEach(Scheduler.Cancellable::cancel);
    running.clear();
  }

  /** Fault name to how many times it was injected successfully. */
  public synchronized Map<String, Integer> injected() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(injected));
  }

  public synchronized List<String> errors() {
    return List.copyOf(errors);
  }
}
