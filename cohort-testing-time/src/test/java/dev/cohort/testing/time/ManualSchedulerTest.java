package dev.cohort.testing.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** The manual scheduler, and {@link Scheduler#scheduleRepeatedly} driven by it. */
class ManualSchedulerTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final List<Duration> ranAt = new ArrayList<>();

  private void record() {
    ranAt.add(Duration.between(START, clock.instant()));
  }

  @Test
  void advanceRunsWhatBecameDueAtTheEndOfTheJump() {
    scheduler.schedule(Duration.ofSeconds(1), this::record);
    scheduler.schedule(Duration.ofSeconds(5), this::record);

    scheduler.advance(Duration.ofSeconds(3));

    assertThat(ranAt).containsExactly(Duration.ofSeconds(3));
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void advanceInStepsRunsEachTaskAtItsOwnDueTime() {
    scheduler.schedule(Duration.ofSeconds(1), this::record);
    scheduler.schedule(Duration.ofSeconds(5), this::record);
    scheduler.schedule(Duration.ofSeconds(9), this::record);

    scheduler.advanceInSteps(Duration.ofSeconds(6));

    assertThat(ranAt).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(5));
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(6));
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void aRepeatedTaskRunsOncePerPeriodAndStopsWhenCancelled() {
    Scheduler.Cancellable repetition =
        scheduler.scheduleRepeatedly(Duration.ofMinutes(10), this::record);
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMinutes(10));

    scheduler.advanceInSteps(Duration.ofMinutes(35));

    assertThat(ranAt)
        .containsExactly(Duration.ofMinutes(10), Duration.ofMinutes(20), Duration.ofMinutes(30));
    repetition.cancel();
    assertThat(scheduler.pendingDelays()).isEmpty();
    scheduler.advanceInSteps(Duration.ofHours(1));
    assertThat(ranAt).hasSize(3);
  }

  @Test
  void aRepeatedTaskThatThrowsKeepsItsSchedule() {
    List<Integer> runs = new ArrayList<>();
    scheduler.scheduleRepeatedly(
        Duration.ofSeconds(1),
        () -> {
          runs.add(runs.size() + 1);
          throw new IllegalStateException("a failing run");
        });

    scheduler.advanceInSteps(Duration.ofSeconds(3));

    assertThat(runs).containsExactly(1, 2, 3);
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void aRepeatedTaskNeedsAPositiveInterval() {
    assertThatThrownBy(() -> scheduler.scheduleRepeatedly(Duration.ZERO, this::record))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("PT0S");
  }

  @Test
  void aClosedSchedulerRefusesNewTasksAndEndsARepetition() {
    scheduler.scheduleRepeatedly(Duration.ofSeconds(1), this::record);
    scheduler.close();

    assertThat(scheduler.isClosed()).isTrue();
    assertThatThrownBy(() -> scheduler.schedule(Duration.ZERO, this::record))
        .isInstanceOf(RejectedExecutionException.class);
    scheduler.advanceInSteps(Duration.ofSeconds(5));
    assertThat(ranAt).as("the run due at 1 s ran; it could not schedule another").hasSize(1);
  }
}
