package dev.cohort.coordinator.internal;

import dev.cohort.api.BranchContext;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.api.Scheduler;
import dev.cohort.coordinator.mode.ModeContext;
import dev.cohort.coordinator.mode.ModeTransaction;
import dev.cohort.coordinator.mode.PhaseTwoCall;
import dev.cohort.coordinator.spi.BranchRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One voting round of a commit protocol (2PC prepare, 3PC can-commit or pre-commit): calls every
 * branch, serially (stopping at the first no) or all at once, on the executor, and waits until all
 * answered or {@code until} passes on the injected scheduler. A branch still out at that point
 * counts as failed; it will be rolled back like the others.
 */
final class Votes {
  enum Vote {
    YES,
    NO,
    FAILED,
    NOT_ASKED
  }

  record Result(Vote vote, String detail) {
    boolean yes() {
      return vote == Vote.YES;
    }
  }

  private final ModeContext ctx;

  Votes(ModeContext ctx) {
    this.ctx = ctx;
  }

  /** The answers of {@code branches}, in their order; {@code what} names the call in messages. */
  List<Result> collect(
      ModeTransaction tx,
      List<BranchRecord> branches,
      PhaseTwoCall call,
      String what,
      Instant until,
      boolean parallel) {
    int n = branches.size();
    AtomicReferenceArray<Result> answers = new AtomicReferenceArray<>(n);
    CompletableFuture<Void> timer = new CompletableFuture<>();
    Duration left = Duration.between(ctx.now(), until);
    Scheduler.Cancellable cancel = ctx.scheduler().schedule(left, () -> timer.complete(null));
    try {
      CompletableFuture<?> all;
      if (parallel) {
        List<CompletableFuture<Void>> each = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          int index = i;
          each.add(
              CompletableFuture.runAsync(
                  () -> answers.set(index, ask(branches.get(index), call, what)), ctx.executor()));
        }
        all = CompletableFuture.allOf(each.toArray(CompletableFuture[]::new));
      } else {
        all =
            CompletableFuture.runAsync(
                () -> {
                  for (int i = 0; i < n && !timer.isDone(); i++) {
                    Result r = ask(branches.get(i), call, what);
                    answers.set(i, r);
                    if (!r.yes()) {
                      return;
                    }
                  }
                },
                ctx.executor());
      }
      var unused = CompletableFuture.anyOf(all, timer).handle((r, e) -> null).join();
    } finally {
      cancel.cancel();
    }
    List<Result> results = new ArrayList<>(n);
    boolean stopped = false;
    for (int i = 0; i < n; i++) {
      Result r = answers.get(i);
      if (r == null) {
        r =
            stopped
                ? new Result(Vote.NOT_ASKED, null)
                : new Result(
                    Vote.FAILED,
                    what
                        + " of branch "
                        + branches.get(i).branchId()
                        + " did not answer before "
                        + until);
        stopped = true;
      }
      if (!r.yes()) {
        stopped = true;
      }
      results.add(r);
    }
    return results;
  }

  private Result ask(BranchRecord b, PhaseTwoCall call, String what) {
    try {
      call.call(b, new BranchContext(b.gid(), b.branchId(), b.payload(), 1));
      return new Result(Vote.YES, null);
    } catch (ParticipantRefusedException e) {
      return new Result(
          Vote.NO,
          "branch "
              + b.branchId()
              + " ("
              + b.participant()
              + ") voted no on "
              + what
              + ": "
              + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(Vote.FAILED, ctx.describeFailure(b, e));
    } catch (Exception e) {
      return new Result(Vote.FAILED, ctx.describeFailure(b, e));
    }
  }

  /** The first reason a round was not unanimous, or null when every branch said yes. */
  static String firstReason(List<Result> results) {
    for (Result r : results) {
      if (!r.yes() && r.detail() != null) {
        return r.detail();
      }
    }
    return null;
  }
}
