package dev.cohort.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.client.Branch;
import dev.cohort.coordinator.SagaStep;
import dev.cohort.protocol.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test coordinator itself: its log, its time, its restart. */
class TestCoordinatorTest {
  @TempDir Path dir;

  private final List<String> effects = new CopyOnWriteArrayList<>();

  private SagaStep step(String name) {
    return SagaStep.of(
        c -> effects.add(name + " " + c.payload()), c -> effects.add("undo " + name));
  }

  @Test
  void aLogInATemporaryDirectoryIsDeletedOnClose() {
    Path log;
    try (TestCoordinator env = TestCoordinator.builder().start()) {
      log = env.logFile();
      assertThat(log).exists();
    }
    assertThat(log.getParent()).doesNotExist();
  }

  @Test
  void aGivenLogFileIsKept() {
    Path file = dir.resolve("kept.db");
    try (TestCoordinator env = TestCoordinator.builder().logFile(file).start()) {
      assertThat(env.logFile()).isEqualTo(file);
    }
    assertThat(Files.exists(file)).isTrue();
  }

  @Test
  void aSagaStepFailingTransientlyRunsAgainOnlyWhenTimeIsAdvanced() {
    FaultInjector faults = new FaultInjector();
    faults.on(Operation.ACTION).failNext(1);
    try (faults;
        TestCoordinator env =
            TestCoordinator.builder().registerSagaStep("ship", faults.wrap(step("ship"))).start()) {
      Outcome first =
          env.cohort().run(Mode.SAGA, List.of(Branch.inProcess("s1", "ship", "parcel-1", true)));
      assertThat(first.status()).isNotEqualTo(GlobalStatus.COMMITTED);
      assertThat(effects).isEmpty();

      env.advance(Duration.ofMillis(99));
      assertThat(effects).as("the first retry is due after 100 ms").isEmpty();
      env.advance(Duration.ofMillis(1));

      assertThat(effects).containsExactly("ship parcel-1");
      assertThat(env.cohort().outcome(first.gid()).status()).isEqualTo(GlobalStatus.COMMITTED);
      assertThat(env.clock().instant())
          .isEqualTo(TestCoordinator.DEFAULT_START.plus(Duration.ofMillis(100)));
    }
  }

  @Test
  void restartKeepsTheLogAndGivesANewEngine() {
    try (TestCoordinator env =
        TestCoordinator.builder().registerSagaStep("ship", step("ship")).start()) {
      Outcome done = env.cohort().run(Mode.SAGA, List.of(Branch.inProcess("s1", "ship", "p")));
      var before = env.coordinator();

      env.restart();

      assertThat(env.coordinator()).isNotSameAs(before);
      assertThat(env.cohort().outcome(done.gid()).status()).isEqualTo(GlobalStatus.COMMITTED);
    }
  }

  @Test
  void timeOnlyMovesForward() {
    try (TestCoordinator env = TestCoordinator.builder().start()) {
      assertThatThrownBy(() -> env.advance(Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("PT-1S");
    }
  }
}
