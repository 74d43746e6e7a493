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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * COMMITTED records waiting for a ride. Each is handed to the log together with the next commit
 * decision, so that one group commit (one disk flush) carries both, or by a timer once it has
 * waited between {@code delay} and twice that when no decision came. Written on its own, every
 * committed transaction cost a second flush, which competed with the next transaction's prepares
 * for the disk.
 *
 * <p>The timer writes only the records that were already waiting when it was set, so each of them
 * waited the whole delay; under steady traffic every record rides with a decision and the timer
 * writes nothing. (A timer that wrote whatever waited when it fired flushed the latest record
 * alone, and set again at each decision it did so for nearly every transaction: 1.3-1.7 flushes per
 * transaction at one caller in XaBench, where one is the aim.) Counting arrivals instead of reading
 * a clock keeps this right whatever clock the manager was given.
 *
 * <p>Waiting loses nothing: a COMMITTED record only says that phase two finished. If it is lost in
 * a crash, recovery finds no branch in doubt for the COMMITTING record and completes it.
 */
final class Completions {
  private record Waiting(GlobalRecord record, long number) {}

  private final Queue<Waiting> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicLong arrivals = new AtomicLong();
  private final AtomicBoolean timerSet = new AtomicBoolean();
  private final Scheduler scheduler;
  private final Duration delay;
  private final Function<List<GlobalRecord>, List<CompletableFuture<?>>> write;

  /** {@code write} hands the records it is given to the log on their own (one submission). */
  Completions(
      Scheduler scheduler,
      Duration delay,
      Function<List<GlobalRecord>, List<CompletableFuture<?>>> write) {
    this.scheduler = scheduler;
    this.delay = delay;
    this.write = write;
  }

  void add(GlobalRecord committing) {
    waiting.add(new Waiting(committing, arrivals.incrementAndGet()));
    armTimer();
  }

  private void armTimer() {
    if (timerSet.compareAndSet(false, true)) {
      long upTo = arrivals.get(); // the records that arrived so far wait the whole delay
      try {
        var unused = scheduler.schedule(delay, () -> onTimer(upTo));
      } catch (RejectedExecutionException e) {
        timerSet.set(false);
        var unused = writeWaiting(); // the manager is closing: no timer any more, write it now
      }
    }
  }

  /**
   * Writes the records that arrived up to {@code upTo} and still wait; sets itself for the rest.
   */
  private void onTimer(long upTo) {
    List<GlobalRecord> old = new ArrayList<>();
    for (Waiting w = waiting.peek(); w != null && w.number() <= upTo; w = waiting.peek()) {
      if (waiting.remove(w)) { // else a decision took it meanwhile
        old.add(w.record());
      }
    }
    timerSet.set(false);
    if (!waiting.isEmpty()) {
      armTimer(); // an add() after the check above sets it itself
    }
    if (!old.isEmpty()) {
      var unused = write.apply(old);
    }
  }

  /** Hands every waiting record to the log now; returns the writes (nobody has to wait on them). */
  List<CompletableFuture<?>> writeWaiting() {
    List<GlobalRecord> taken = takeWaiting();
    return taken.isEmpty() ? List.of() : write.apply(taken);
  }

  /**
   * Takes every waiting record out, for a commit decision to carry into the log with it (the same
   * submission, so the same flush).
   */
  List<GlobalRecord> takeWaiting() {
    List<GlobalRecord> taken = new ArrayList<>();
    for (Waiting w = waiting.poll(); w != null; w = waiting.poll()) {
      taken.add(w.record());
    }
    return taken;
  }
}
