package dev.cohort.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.chaos.sample.SampleSystem;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checker against a real system: the coordinator server and a participant service as child
 * JVMs, the participant's data in PostgreSQL. One run must pass under kills; two broken systems
 * must be caught with the gid and the invariant named.
 */
class SampleSystemChaosIT {
  @TempDir Path dir;

  private static DatabasePair schema(String name) {
    return TestServices.load().postgres().isolated(name);
  }

  @Test
  void purchasesSurviveCoordinatorKillsAndAParticipantKillWithNoViolation() throws Exception {
    try (SampleSystem system =
        SampleSystem.start(
            schema("chaos_ci"),
            dir,
            List.of("--fail-stock-every", "11", "--error-after-first-cancel"))) {
      ChaosReport report =
          ChaosChecker.builder(system)
              .workload(
                  Workload.builder()
                      .mix("tcc=2,tcc-pa=2,saga=2")
                      .concurrency(8)
                      .purchases(400)
                      // 8 callers pausing 300 ms after each purchase (think time, or the pause
                      // after a failure) start at most ~27 a second, and they wait while the
                      // coordinator is down: the run has at least 15 s of coordinator uptime
                      // whatever the machine, room for three kills 2 s apart and the
                      // participant's restart.
                      .thinkTime(Duration.ofMillis(300))
                      .pauseAfterFailure(Duration.ofMillis(300))
                      .build())
              .killCoordinatorEvery(Duration.ofSeconds(2), 3)
              .killParticipantEvery(Duration.ofSeconds(3), 1)
              .window(Duration.ofSeconds(90))
              .build()
              .run();

      System.out.print(report.toText());
      assertThat(report.violations()).as(report.toText()).isEmpty();
      assertThat(report.faultErrors()).isEmpty();
      assertThat(report.faults().get("kill coordinator")).isEqualTo(3);
      assertThat(report.faults().get("kill participant")).isEqualTo(1);
      assertThat(system.coordinatorSupervisor().kills()).isEqualTo(3);
      assertThat(system.participantSupervisor().kills()).isEqualTo(1);
      ModeStats tcc = report.modes().get("tcc");
      ModeStats presumedAbort = report.modes().get("tcc-pa");
      ModeStats saga = report.modes().get("saga");
      assertThat(tcc.started() + presumedAbort.started() + saga.started()).isEqualTo(400);
      assertThat(tcc.committed()).isPositive();
      assertThat(presumedAbort.committed()).isPositive();
      assertThat(saga.committed()).isPositive();
      assertThat(tcc.rolledBack()).as("the stock fault rolls TCC purchases back").isPositive();
      assertThat(presumedAbort.rolledBack()).as("with presumed abort too").isPositive();
      assertThat(report.timeToQuiescence()).isNotNull();
    }
  }

  /**
   * Both broken systems in one run, to start the two processes once: TCC purchases on a participant
   * whose cancel skips the barrier (and is sent twice), and plain purchases that call the
   * participant one step after the other without a coordinator.
   */
  @Test
  void aCancelWithoutTheBarrierAndPurchasesWithoutACoordinatorAreCaughtByGidAndInvariant()
      throws Exception {
    try (SampleSystem system =
        SampleSystem.start(
            schema("chaos_broken"),
            dir,
            List.of(
                "--fail-stock-every",
                "4",
                "--error-after-first-cancel",
                "--cancel-without-barrier"))) {
      ChaosReport report =
          ChaosChecker.builder(system)
              .workload(
                  Workload.builder().mix("tcc=1,plain=1").concurrency(4).purchases(80).build())
              .build()
              .run();

      System.out.print(report.toText());
      assertThat(report.exitCode()).isEqualTo(ChaosReport.VIOLATED);

      Violation twice =
          report.violations().stream()
              .filter(v -> v.invariant().equals(Invariants.EXACTLY_ONCE))
              .filter(v -> v.message().contains("cancel applied 2 times"))
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError("no duplicate cancel found:\n" + report.toText()));
      assertThat(twice.gid()).startsWith(report.gidPrefix());
      assertThat(report.toText()).contains(Invariants.EXACTLY_ONCE + " [" + twice.gid() + "]");
      assertThat(report.toJson()).contains("\"gid\" : \"" + twice.gid() + "\"");
      assertThat(report.violations()).extracting(Violation::invariant).contains("nothing-frozen");

      List<Violation> unpaired =
          report.violations().stream()
              .filter(v -> v.invariant().equals("paid-iff-shipped"))
              .toList();
      assertThat(unpaired)
          .isNotEmpty()
          .allSatisfy(v -> {
            assertThat(v.gid()).startsWith(report.gidPrefix());
            assertThat(v.message()).isEqualTo("plain purchase paid 1 time(s) but shipped 0");
          });
      assertThat(report.modes().get("plain").failed()).isEqualTo(unpaired.size());
    }
  }
}
