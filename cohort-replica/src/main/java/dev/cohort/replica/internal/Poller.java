package dev.cohort.replica.internal;

import dev.cohort.api.Scheduler;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes each node every {@code interval} on a {@link Scheduler}: each run schedules the next one
 * when it ends, so a slow probe delays only its own node's next round.
 */
final class Poller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Poller.class);

  private final Scheduler scheduler;
  private final Duration interval;
  private final Consumer<Node> probe;

  /** The next run of each node's poll, to call off on close. */
  private final Map<Node, Scheduler.Cancellable> next = new HashMap<>();

  private boolean closed;

  Poller(Scheduler scheduler, Duration interval, Consumer<Node> probe) {
    this.scheduler = scheduler;
    this.interval = interval;
    this.probe = probe;
  }

  /** Starts polling {@code nodes}, the first round one interval from now. */
  synchronized void start(List<Node> nodes) {
    for (Node n : nodes) {
      next.put(n, scheduler.schedule(interval, () -> run(n)));
    }
  }

  private void run(Node n) {
    try {
      probe.accept(n);
    } catch (RuntimeException e) {
      // Whatever one probe does, this node keeps being polled.
      log.warn("probing node {} failed", n.name, e);
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      next.put(n, scheduler.schedule(interval, () -> run(n)));
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    next.values().forEach(Scheduler.Cancellable::cancel);
    next.clear();
  }
}
