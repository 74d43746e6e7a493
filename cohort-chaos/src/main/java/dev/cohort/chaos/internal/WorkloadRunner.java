package dev.cohort.chaos.internal;

import dev.cohort.chaos.PurchaseOutcome;
import dev.cohort.chaos.SystemUnderTest;
import dev.cohort.chaos.Workload;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/** Runs the workload's purchases on {@code concurrency} callers and records what each learned. */
public final class WorkloadRunner {
  private static final int ERROR_CHARS = 300;

  private final SystemUnderTest system;
  private final Workload workload;
  private final Clock clock;
  private final String gidPrefix;
  private final String[] modes;
  private final int[] cumulative;
  private final AtomicLong next = new AtomicLong();
  private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();

  public WorkloadRunner(SystemUnderTest system, Workload workload, Clock clock, String gidPrefix) {
    this.system = Objects.requireNonNull(system, "system");
    this.workload = Objects.requireNonNull(workload, "workload");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.gidPrefix = Objects.requireNonNull(gidPrefix, "gidPrefix");
    List<String> names = new ArrayList<>();
    List<Integer> sums = new ArrayList<>();
    int sum = 0;
    for (Map.Entry<String, Integer> w : workload.weights().entrySet()) {
      if (w.getValue() > 0) {
        sum += w.getValue();
        names.add(w.getKey());
        sums.add(sum);
      }
    }
    this.modes = names.toArray(new String[0]);
    this.cumulative = sums.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Runs every purchase and returns them in no particular order. */
  public List<Attempt> run() throws InterruptedException {
    Instant end = workload.duration() == null ? null : clock.instant().plus(workload.duration());
    try (ExecutorService callers = Executors.newFixedThreadPool(workload.concurrency())) {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < workload.concurrency(); i++) {
        SplittableRandom random = new SplittableRandom(workload.seed() + i);
        done.add(callers.submit(() -> caller(random, end)));
      }
      for (Future<?> f : done) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("a purchase caller stopped: " + e.getCause(), e);
        }
      }
    }
    return List.copyOf(attempts);
  }

  private Void caller(SplittableRandom random, Instant end) throws InterruptedException {
    while (!Thread.currentThread().isInterrupted()) {
      long n;
      if (end == null) {
        n = next.getAndIncrement();
        if (n >= workload.purchases()) {
          return null;
        }
      } else {
        if (!clock.instant().isBefore(end)) {
          return null;
        }
        n = next.getAndIncrement();
      }
      String mode = pick(random);
      String gid = gidPrefix + n;
      PurchaseOutcome answer;
      String error = null;
      try {
        answer = Objects.requireNonNull(system.purchase(mode, gid), "purchase returned null");
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception | Error e) {
        answer = PurchaseOutcome.FAILED;
        String text = String.valueOf(e);
        error = text.substring(0, Math.min(ERROR_CHARS, text.length()));
      }
      attempts.add(new Attempt(gid, mode, answer, error));
      // Pacing, not synchronisation: users think between purchases, and a caller that just
      // failed does not hammer a system that is restarting.
      long pause = workload.thinkTime().toMillis();
      if (answer == PurchaseOutcome.FAILED) {
        pause = Math.max(pause, workload.pauseAfterFailure().toMillis());
      }
      if (pause > 0) {
        Thread.sleep(pause);
      }
    }
    return null;
  }

  private String pick(SplittableRandom random) {
    int r = random.nextInt(cumulative[cumulative.length - 1]);
    for (int i = 0; i < cumulative.length; i++) {
      if (r < cumulative[i]) {
        return modes[i];
      }
    }
    throw new AssertionError("weights " + workload.weights());
  }
}
