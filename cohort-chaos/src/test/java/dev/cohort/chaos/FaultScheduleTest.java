package dev.cohort.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.chaos.internal.FaultSchedule;
import dev.cohort.testing.time.ManualScheduler;
import dev.cohort.testing.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);

  @Test
  void aFaultIsInjectedEveryIntervalUpToItsLimitAndNotAfterStop() {
    FakeProcess coordinator = new FakeProcess("coordinator");
    FakeProcess participant = new FakeProcess("participant");
    FaultSchedule schedule =
        new FaultSchedule(
            scheduler,
            List.of(
                new FaultSchedule.Entry(
                    Fault.killAndRestart(coordinator), Duration.ofSeconds(3), 0),
                new FaultSchedule.Entry(
                    Fault.killAndRestart(participant), Duration.ofSeconds(4), 1)));
    schedule.start();

    scheduler.advanceInSteps(Duration.ofSeconds(2));
    assertThat(coordinator.events).isEmpty();
    scheduler.advanceInSteps(Duration.ofSeconds(7)); // t = 9 s
    assertThat(coordinator.events)
        .containsExactly("kill", "restart", "kill", "restart", "kill", "restart");
    assertThat(participant.events).containsExactly("kill", "restart");

    schedule.stop();
    scheduler.advanceInSteps(Duration.ofSeconds(30));
    assertThat(coordinator.events).hasSize(6);
    assertThat(schedule.injected())
        .containsEntry("kill coordinator", 3)
        .containsEntry("kill participant", 1);
    assertThat(schedule.errors()).isEmpty();
  }

  @Test
  void aFailingInjectionIsRecordedAndTheScheduleGoesOn() {
    FakeProcess coordinator = new FakeProcess("coordinator");
    coordinator.failRestarts = 1;
    FaultSchedule schedule =
        new FaultSchedule(
            scheduler,
            List.of(
                new FaultSchedule.Entry(
                    Fault.killAndRestart(coordinator), Duration.ofSeconds(1), 0)));
    schedule.start();

    scheduler.advanceInSteps(Duration.ofSeconds(2));

    assertThat(schedule.errors()).singleElement().asString().contains("not healthy");
    assertThat(schedule.injected()).containsEntry("kill coordinator", 1);
  }

  private static final class FakeProcess implements Restartable {
    private final String name;
    final List<String> events = new ArrayList<>();
    int failRestarts;

    FakeProcess(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void kill() {
      events.add("kill");
    }

    @Override
    public void restart() {
      if (failRestarts-- > 0) {
        throw new IllegalStateException(name + " was not healthy");
      }
      events.add("restart");
    }
  }
}
