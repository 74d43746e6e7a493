package dev.cohort.examples.shop.fault;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The armed faults of one service, and what they caught. Thread-safe: the admin endpoint arms
 * faults while calls take them.
 */
public final class FaultSwitch {
  private final List<Armed> armed = new ArrayList<>();
  private final Map<String, Long> caught = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> cancels = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();

  private static final class Armed {
    final Fault fault;
    int left;

    Armed(Fault fault) {
      this.fault = fault;
      this.left = fault.count();
    }
  }

  public synchronized void arm(Fault fault) {
    armed.add(new Armed(fault));
  }

  public synchronized void clear() {
    armed.clear();
  }

  /** The armed faults with the calls each still catches (0 = until cleared). */
  public synchronized List<Map<String, Object>> describe() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Armed a : armed) {
      out.add(
          Map.of(
              "kind",
              a.fault.kind().code(),
              "left",
              a.left,
              "op",
              a.fault.op() == null ? "any" : a.fault.op(),
              "millis",
              a.fault.millis()));
    }
    return out;
  }

  /** How many calls each kind caught, by kind code. */
  public Map<String, Long> caught() {
    return Map.copyOf(caught);
  }

  /**
   * Calls a fault is holding or delaying right now: a hung try that has not yet reached the barrier
   * is still to come, so a checker waits for 0 before it checks.
   */
  public int inFlight() {
    return inFlight.get();
  }

  void started() {
    inFlight.incrementAndGet();
  }

  void finished() {
    inFlight.decrementAndGet();
  }

  /** The fault to apply to a call of {@code op}, counted as caught; null for none. */
  synchronized Fault take(String op) {
    for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
      Armed a = it.next();
      if (a.fault.op() == null || a.fault.op().equals(op)) {
        if (a.fault.count() > 0 && --a.left == 0) {
          it.remove();
        }
        caught.merge(a.fault.kind().code(), 1L, Long::sum);
        return a.fault;
      }
    }
    return null;
  }

  /** Holds a try until the cancel of the same branch was served, or {@code millis} passed. */
  void awaitCancel(String gid, String branchId, long millis) throws InterruptedException {
    cancels
        .computeIfAbsent(gid + "/" + branchId, k -> new CountDownLatch(1))
        .await(millis, TimeUnit.MILLISECONDS);
    cancels.remove(gid + "/" + branchId);
  }

  /** A cancel of this branch was served: a try held for it may go on. */
  void cancelServed(String gid, String branchId) {
    CountDownLatch waiting = cancels.get(gid + "/" + branchId);
    if (waiting != null) {
      waiting.countDown();
    }
  }
}
