package dev.cohort.xa.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.api.Gid;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.testing.time.ManualScheduler;
import dev.cohort.testing.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** When a COMMITTED record is written: with a decision, or by the timer after the whole delay. */
class CompletionsTest {
  private static final Duration DELAY = Duration.ofMillis(200);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final List<List<String>> timerWrites = new ArrayList<>();
  private final Completions completions =
      new Completions(
          scheduler,
          DELAY,
          records -> {
            timerWrites.add(records.stream().map(g -> g.gid().value()).toList());
            return List.<CompletableFuture<?>>of();
          });

  private static GlobalRecord committing(String gid) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return GlobalRecord.planned(Gid.of(gid), Mode.XA, false, t, "xa:n", t, t);
  }

  private static List<String> gids(List<GlobalRecord> records) {
    return records.stream().map(g -> g.gid().value()).toList();
  }

  @Test
  void underSteadyDecisionsEveryRecordRidesAndTheTimerWritesNothing() {
    for (int i = 0; i < 50; i++) {
      completions.add(committing("t" + i));
      scheduler.advance(Duration.ofMillis(30)); // the next transaction's work and prepares
      assertThat(gids(completions.takeWaiting())).containsExactly("t" + i); // its decision
    }
    scheduler.advance(DELAY.multipliedBy(3));
    assertThat(timerWrites).isEmpty();
  }

  @Test
  void aRecordNoDecisionCarriesIsWrittenOnceItWaitedTheWholeDelay() {
    completions.add(committing("first")); // sets the timer
    scheduler.advance(Duration.ofMillis(150));
    assertThat(gids(completions.takeWaiting())).containsExactly("first");
    completions.add(committing("second")); // arrived after the timer was set

    scheduler.advance(Duration.ofMillis(50));
    assertThat(timerWrites).as("second waited 50 ms only").isEmpty();
    scheduler.advance(DELAY.minusMillis(1));
    assertThat(timerWrites).isEmpty();
    scheduler.advance(Duration.ofMillis(1));
    assertThat(timerWrites).containsExactly(List.of("second"));

    scheduler.advance(DELAY.multipliedBy(3));
    assertThat(timerWrites).as("nothing left, no timer").hasSize(1);
    assertThat(scheduler.pendingDelays()).isEmpty();
  }

  @Test
  void writeWaitingHandsOverEverythingAtOnce() {
    completions.add(committing("a"));
    completions.add(committing("b"));
    var unused = completions.writeWaiting();
    assertThat(timerWrites).containsExactly(List.of("a", "b"));
    assertThat(completions.takeWaiting()).isEmpty();
  }
}
