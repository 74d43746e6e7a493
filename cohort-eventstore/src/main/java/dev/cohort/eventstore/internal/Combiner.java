package dev.cohort.eventstore.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Combines concurrent requests into batches run one at a time, by the callers themselves (no thread
 * of its own): a caller whose request is not done while no batch runs takes every waiting request
 * (up to {@code maxBatch}) and runs them as one batch; the others wait for it. One batch then costs
 * one transaction and one commit however many callers it serves, which is what lets appends that
 * must run one at a time keep up with many writers.
 *
 * <p>The runner must finish every request of its batch ({@link Item#done()} true afterwards), also
 * when it fails: it records the failure in the request instead of throwing.
 */
public final class Combiner<T extends Combiner.Item> {
  /** A request; {@link #done()} is read under the combiner's lock after the runner finished. */
  public interface Item {
    boolean done();
  }

  private final int maxBatch;
  private final Consumer<List<T>> runner;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Waiter<T>> pending = new ArrayDeque<>();
  private boolean running;

  /** A caller waiting: woken alone when its batch finished or when it is next to run one. */
  private static final class Waiter<T> {
    final T item;
    final Condition wake;
    boolean taken;

    Waiter(T item, Condition wake) {
      this.item = item;
      this.wake = wake;
    }
  }

  public Combiner(int maxBatch, Consumer<List<T>> runner) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be 1 or more, got " + maxBatch);
    }
    this.maxBatch = maxBatch;
    this.runner = runner;
  }

  /** Returns once {@code item} is done, having run it (in a batch) or waited for another caller. */
  public void submit(T item) {
    lock.lock();
    try {
      Waiter<T> me = new Waiter<>(item, lock.newCondition());
      pending.add(me);
      while (!item.done()) {
        if (running || me.taken) {
          // Not interruptible: the request may already be in a running batch and cannot be
          // withdrawn; the caller gets its outcome.
          me.wake.awaitUninterruptibly();
          continue;
        }
        running = true;
        List<Waiter<T>> batch = new ArrayList<>(Math.min(pending.size(), maxBatch));
        while (!pending.isEmpty() && batch.size() < maxBatch) {
          Waiter<T> w = pending.poll();
          w.taken = true;
          batch.add(w);
        }
        lock.unlock();
        try {
          runner.accept(batch.stream().map(w -> w.item).toList());
        } finally {
          lock.lock();
          running = false;
          // Wake only whom it concerns: the callers of this batch (their outcome is there) and
          // the first one still waiting (it runs the next batch). Waking every waiting caller
          // after each batch cost a wake-up per writer per batch for nothing.
          for (Waiter<T> w : batch) {
            if (w != me) {
              w.wake.signal();
            }
          }
          Waiter<T> next = pending.peek();
          if (next != null) {
            next.wake.signal();
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }
}
