package dev.cohort.replica.internal;

import dev.cohort.api.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes each node every {@code interval} on a {@link Scheduler}: each node's next round is
 * scheduled when its run ends ({@link Scheduler#scheduleRepeatedly}), so a slow probe delays only
 * its own node's next round.
 */
final class Poller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Poller.class);

  private final Scheduler scheduler;
  private final Duration interval;
  private final Consumer<Node> probe;

  /** Each node's repetition, to call off on close. */
  private final List<Scheduler.Cancellable> polls = new ArrayList<>();

  Poller(Scheduler scheduler, Duration interval, Consumer<Node> probe) {
    this.scheduler = scheduler;
    this.interval = interval;
    this.probe = probe;
  }

  /** Starts polling {@code nodes}, the first round one interval from now. */
  synchronized void start(List<Node> nodes) {
    for (Node n : nodes) {
      polls.add(scheduler.scheduleRepeatedly(interval, () -> probe(n)));
    }
  }

  private void probe(Node n) {
    try {
      probe.accept(n);
    } catch (RuntimeException e) {
      // Logged here, with the node's name; the repetition goes on either way.
      log.warn("probing node {} failed", n.name, e);
    }
  }

  @Override
  public synchronized void close() {
    polls.forEach(Scheduler.Cancellable::cancel);
    polls.clear();
  }
}
