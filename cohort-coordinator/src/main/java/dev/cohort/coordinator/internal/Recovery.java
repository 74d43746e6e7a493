package dev.cohort.coordinator.internal;

import dev.cohort.api.Gid;
import dev.cohort.coordinator.RecoveryProgress;
import dev.cohort.coordinator.spi.StoredTransaction;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumes what a previous run of this node left unfinished, in the background and at most {@code
 * parallelism} transactions at a time. It claims only as many as it can drive now, so every claimed
 * lease is fresh when its round starts: a node with a large backlog never holds leases it is not
 * using, and another node can take over whatever this one has not reached.
 *
 * <p>No thread waits for a free slot: each finished drive claims the next transaction itself (a
 * drain loop, so a direct executor does not recurse), which keeps recovery from blocking a bounded
 * delivery executor that its own drives need.
 */
final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  private final int parallelism;
  private final int batch;
  private final IntFunction<List<StoredTransaction>> claimOwn;
  private final Consumer<StoredTransaction> drive;
  private final Executor executor;
  private final BooleanSupplier closed;

  private final Set<Gid> seen = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger pumps = new AtomicInteger();
  private final AtomicLong resumed = new AtomicLong();
  private final AtomicLong settled = new AtomicLong();
  private volatile boolean exhausted;
  private volatile boolean recovering = true;

  Recovery(
      int parallelism,
      int batch,
      IntFunction<List<StoredTransaction>> claimOwn,
      Consumer<StoredTransaction> drive,
      Executor executor,
      BooleanSupplier closed) {
    this.parallelism = parallelism;
    this.batch = batch;
    this.claimOwn = claimOwn;
    this.drive = drive;
    this.executor = executor;
    this.closed = closed;
  }

  RecoveryProgress progress() {
    return new RecoveryProgress(recovering, resumed.get(), settled.get());
  }

  /** Begins on the executor; returns at once unless the executor runs tasks on the caller. */
  void start() {
    executor.execute(this::pump);
  }

  /** Fills the free slots; whoever calls while another call fills them only asks it to go on. */
  private void pump() {
    if (pumps.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      fill();
      missed = pumps.addAndGet(-missed);
    } while (missed != 0);
    if (recovering && exhausted && inFlight.get() == 0) {
      recovering = false;
      LOG.info(
          "recovery finished: {} unfinished transactions resumed, {} driven", resumed, settled);
    }
  }

  private void fill() {
    try {
      while (!exhausted && !closed.getAsBoolean()) {
        int free = parallelism - inFlight.get();
        if (free <= 0) {
          return;
        }
        List<StoredTransaction> claimed = claimOwn.apply(Math.min(free, batch));
        int used = 0;
        for (StoredTransaction t : claimed) {
          if (seen.add(t.global().gid())) {
            used++;
            resumed.incrementAndGet();
            inFlight.incrementAndGet();
            executor.execute(() -> {
              try {
                drive.accept(t);
              } finally {
                settled.incrementAndGet();
                inFlight.decrementAndGet();
                pump();
              }
            });
          }
        }
        if (used == 0) {
          // Everything this node owns was taken up once; what failed again is the poller's.
          exhausted = true;
        }
      }
      if (closed.getAsBoolean()) {
        exhausted = true;
      }
    } catch (RuntimeException e) {
      exhausted = true;
      LOG.warn("recovery stopped early; the poller takes up what is left once it is due", e);
    }
  }
}
