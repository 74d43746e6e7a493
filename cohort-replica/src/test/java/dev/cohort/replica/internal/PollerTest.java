package dev.cohort.replica.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.testing.time.ManualScheduler;
import dev.cohort.testing.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The poller on a hand-driven scheduler: no threads, no sleeping. */
class PollerTest {
  private static final Duration INTERVAL = Duration.ofMillis(50);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final Node a = new Node("a", null, 1, (n, f, t) -> {});
  private final Node b = new Node("b", null, 1, (n, f, t) -> {});
  private final List<String> probes = new ArrayList<>();

  @Test
  void eachNodeIsProbedOncePerIntervalFromOneIntervalAfterStart() {
    Poller poller = new Poller(scheduler, INTERVAL, n -> probes.add(n.name()));
    poller.start(List.of(a, b));
    assertThat(probes).isEmpty();
    scheduler.advanceInSteps(INTERVAL);
    assertThat(probes).containsExactlyInAnyOrder("a", "b");
    scheduler.advanceInSteps(INTERVAL.multipliedBy(3));
    assertThat(probes).hasSize(8);
  }

  @Test
  void aProbeThatThrowsDoesNotStopItsNodesPolling() {
    Poller poller =
        new Poller(
            scheduler,
            INTERVAL,
            n -> {
              probes.add(n.name());
              throw new IllegalStateException("probe bug");
            });
    poller.start(List.of(a));
    scheduler.advanceInSteps(INTERVAL.multipliedBy(3));
    assertThat(probes).containsExactly("a", "a", "a");
  }

  @Test
  void closeCallsOffWhatIsScheduled() {
    Poller poller = new Poller(scheduler, INTERVAL, n -> probes.add(n.name()));
    poller.start(List.of(a, b));
    scheduler.advanceInSteps(INTERVAL);
    poller.close();
    assertThat(scheduler.pendingDelays().size()).isZero();
    scheduler.advanceInSteps(INTERVAL.multipliedBy(5));
    assertThat(probes).hasSize(2);
  }
}
