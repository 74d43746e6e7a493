package dev.cohort.xa.internal;

import dev.cohort.api.Scheduler;
import dev.cohort.coordinator.spi.GlobalRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * COMMITTED records waiting for a ride. Each is handed to the log together with the next commit
 * decision, so that one group commit (one disk flush) carries both, or after at most {@code delay}
 * when no decision comes. Written on its own, every committed transaction cost a second flush,
 * which competed with the next transaction's prepares for the disk.
 *
 * <p>Waiting loses nothing: a COMMITTED record only says that phase two finished. If it is lost in
 * a crash, recovery finds no branch in doubt for the COMMITTING record and completes it.
 */
final class Completions {
  private final Queue<GlobalRecord> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean timerSet = new AtomicBoolean();
  private final Scheduler scheduler;
  private final Duration delay;
  private final Function<GlobalRecord, CompletableFuture<?>> write;

  Completions(
      Scheduler scheduler, Duration delay, Function<GlobalRecord, CompletableFuture<?>> write) {
    this.scheduler = scheduler;
    this.delay = delay;
    this.write = write;
  }

  void add(GlobalRecord committing) {
    waiting.add(committing);
    if (timerSet.compareAndSet(false, true)) {
      try {
        var unused = scheduler.schedule(delay, this::writeWaiting);
      } catch (RejectedExecutionException e) {
        var unused = writeWaiting(); // the manager is closing: no timer any more, write it now
      }
    }
  }

  /** Hands every waiting record to the log now; returns the writes (nobody has to wait on them). */
  List<CompletableFuture<?>> writeWaiting() {
    timerSet.set(false);
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (GlobalRecord g = waiting.poll(); g != null; g = waiting.poll()) {
      writes.add(write.apply(g));
    }
    return writes;
  }
}
