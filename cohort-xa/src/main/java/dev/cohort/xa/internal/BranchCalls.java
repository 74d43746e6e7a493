package dev.cohort.xa.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.transaction.xa.XAException;

/**
 * Runs one XA call per branch, the branches at once when there are several, and hands back every
 * outcome in branch order. Prepare and commit wait on each resource's disk flush; two resources
 * flushing in turn cost both round trips, side by side the longer one. The calling thread runs the
 * first branch itself, so a single branch never changes thread. The XA specification lets any
 * thread prepare or commit a branch (only start and end are bound to the thread of control), and no
 * branch's connection is used by two threads: the caller waits until every call returned.
 *
 * <p>State changes stay with the caller: the outcomes are applied in branch order afterwards, so
 * the status logic reads as if the calls had run one after the other.
 */
public final class BranchCalls {
  /** One XA call on a branch: returns the resource's answer (a vote) or throws its error. */
  @FunctionalInterface
  interface Call {
    int run(Branch b) throws XAException;
  }

  /** What one branch answered: a value, an {@link XAException}, or something unexpected. */
  record Outcome(Branch branch, int value, XAException error, RuntimeException crash) {}

  private final Executor executor;
  private final int uncrowded;
  private final AtomicInteger inPhase = new AtomicInteger();

  /**
   * {@code executor} runs the second and later branches' calls; {@code null} calls the branches one
   * after the other, in order, and stops after a call that failed unexpectedly (as the manager
   * dying there would). The branches of a transaction go at once only while at most {@code
   * uncrowded} transactions are in a phase together: beyond that the callers already keep every
   * core busy, and handing calls to other threads only adds switches (on the 2-core benchmark VM,
   * 16 and 64 callers ran 7 % and 18 % faster one after the other).
   */
  public BranchCalls(Executor executor, int uncrowded) {
    this.executor = executor;
    this.uncrowded = uncrowded;
  }

  /** One shared by the manager's transactions: the crowd count spans them. */
  List<Outcome> each(List<Branch> branches, Call call) {
    int crowd = inPhase.incrementAndGet();
    try {
      return executor == null || branches.size() < 2 || crowd > uncrowded
          ? inTurn(branches, call)
          : atOnce(branches, call);
    } finally {
      inPhase.decrementAndGet();
    }
  }

  private static List<Outcome> inTurn(List<Branch> branches, Call call) {
    List<Outcome> outcomes = new ArrayList<>(branches.size());
    for (Branch b : branches) {
      Outcome o = run(b, call);
      outcomes.add(o);
      if (o.crash() != null) {
        break;
      }
    }
    return outcomes;
  }

  private List<Outcome> atOnce(List<Branch> branches, Call call) {
    List<CompletableFuture<Outcome>> others = new ArrayList<>(branches.size() - 1);
    for (Branch b : branches.subList(1, branches.size())) {
      CompletableFuture<Outcome> other;
      try {
        other = CompletableFuture.supplyAsync(() -> run(b, call), executor);
      } catch (RejectedExecutionException e) {
        other = CompletableFuture.completedFuture(run(b, call)); // the manager is closing
      }
      others.add(other);
    }
    List<Outcome> outcomes = new ArrayList<>(branches.size());
    outcomes.add(run(branches.get(0), call));
    for (CompletableFuture<Outcome> other : others) {
      outcomes.add(other.join()); // run() catches what a call throws
    }
    return outcomes;
  }

  private static Outcome run(Branch b, Call call) {
    try {
      return new Outcome(b, call.run(b), null, null);
    } catch (XAException e) {
      return new Outcome(b, 0, e, null);
    } catch (RuntimeException e) {
      return new Outcome(b, 0, null, e);
    }
  }
}
