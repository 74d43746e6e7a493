package dev.cohort.xa.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.xa.XaHooks;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.XAException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BranchCallsTest {
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<Branch> branches =
      List.of(branch(1), branch(2), branch(3)); // the calls below never touch the resource

  @AfterEach
  void stop() throws InterruptedException {
    threads.shutdownNow();
    threads.awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void uncrowdedBranchesAfterTheFirstRunOnOtherThreadsAndComeBackInOrder() {
    String caller = Thread.currentThread().getName();
    List<BranchCalls.Outcome> outcomes =
        new BranchCalls(threads, 4).each(branches, b -> onCaller(caller));

    assertThat(outcomes).extracting(o -> o.branch().number).containsExactly(1, 2, 3);
    assertThat(outcomes).extracting(BranchCalls.Outcome::value).containsExactly(0, 1, 1);
  }

  @Test
  void moreTransactionsInAPhaseThanAllowedGoOneAfterTheOther() {
    String caller = Thread.currentThread().getName();
    List<BranchCalls.Outcome> outcomes =
        new BranchCalls(threads, 0).each(branches, b -> onCaller(caller));

    assertThat(outcomes).extracting(BranchCalls.Outcome::value).containsExactly(0, 0, 0);
  }

  @Test
  void withoutThreadsACrashStopsTheRestAndAnXaErrorDoesNot() {
    List<BranchCalls.Outcome> outcomes =
        new BranchCalls(null, 4)
            .each(
                branches,
                b -> {
                  if (b.number == 1) {
                    throw new XAException(XAException.XA_RBROLLBACK);
                  }
                  if (b.number == 2) {
                    throw new IllegalStateException("simulated crash");
                  }
                  return 0;
                });

    assertThat(outcomes).hasSize(2);
    assertThat(outcomes.get(0).error().errorCode).isEqualTo(XAException.XA_RBROLLBACK);
    assertThat(outcomes.get(1).crash()).hasMessage("simulated crash");
  }

  /** 0 when the call ran on the caller's thread, 1 when elsewhere. */
  private static int onCaller(String caller) {
    return Thread.currentThread().getName().equals(caller) ? 0 : 1;
  }

  private static Branch branch(int n) {
    return new Branch("r" + n, null, XaXid.of("g", n), n, XaHooks.NONE);
  }
}
