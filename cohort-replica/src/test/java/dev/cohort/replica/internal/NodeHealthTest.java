package dev.cohort.replica.internal;

import static dev.cohort.replica.NodeHealth.DOWN;
import static dev.cohort.replica.NodeHealth.LAGGING;
import static dev.cohort.replica.NodeHealth.STARTING;
import static dev.cohort.replica.NodeHealth.UP;
import static dev.cohort.replica.NodeHealth.WRITABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.replica.Balancing;
import dev.cohort.replica.NodeHealth;
import dev.cohort.replica.ReplicaStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Node health driven by hand-fed probe answers on a hand-driven clock, plus the coverage check:
 * once every scenario ran, each legal transition of {@link NodeHealth} must have happened.
 */
class NodeHealthTest {
  private static final Set<String> VISITED = ConcurrentHashMap.newKeySet();

  private final HealthFixture f =
      new HealthFixture(Balancing.ROUND_ROBIN, (node, from, to) -> VISITED.add(from + "->" + to));

  @Test
  void firstProbesSortTheNodes() {
    assertThat(f.r1.health()).isEqualTo(STARTING);
    f.writable(f.primary, "0/100");
    f.readOnly(f.r1, "0/100");
    f.fails(f.r2);
    assertThat(List.of(f.primary.health(), f.r1.health(), f.r2.health()))
        .containsExactly(WRITABLE, UP, DOWN);
    ReplicaStatus r2 = f.cluster.status().get(2);
    assertThat(r2.up()).isFalse();
    assertThat(r2.inRotation()).isFalse();
    assertThat(r2.lastError()).contains("connection refused");
  }

  @Test
  void aReplicaFarBehindLeavesTheRotationAndReturnsBelowHalfTheMaxLag() {
    f.started();
    f.writable(f.primary, "0/200");
    f.advance(Duration.ofSeconds(6));
    f.readOnly(f.r1, "0/100");
    assertThat(f.r1.lagTime).isEqualTo(Duration.ofSeconds(6));
    assertThat(f.r1.health()).isEqualTo(LAGGING);
    assertThat(f.cluster.status().get(1).inRotation()).isFalse();

    f.writable(f.primary, "0/300");
    f.advance(Duration.ofSeconds(3));
    f.readOnly(f.r1, "0/200");
    assertThat(f.r1.lagTime).as("above half of maxLag: stays out").isEqualTo(Duration.ofSeconds(3));
    assertThat(f.r1.health()).isEqualTo(LAGGING);

    f.readOnly(f.r1, "0/300");
    assertThat(f.r1.health()).isEqualTo(UP);
  }

  @Test
  void theLastReplicaInTheRotationNeverLeavesForLag() {
    f.started();
    f.fails(f.r2);
    f.writable(f.primary, "0/200");
    f.advance(Duration.ofSeconds(60));
    f.readOnly(f.r1, "0/100");
    assertThat(f.r1.health()).isEqualTo(UP);
  }

  @Test
  void aFailedNodeIsRetriedAfterADoublingBackoffAndComesBack() {
    f.started();
    f.fails(f.r1);
    assertThat(f.cluster.health().backingOff(f.r1, f.clock.instant())).isTrue();
    f.advance(Duration.ofSeconds(1));
    assertThat(f.cluster.health().backingOff(f.r1, f.clock.instant())).isFalse();
    f.fails(f.r1);
    f.advance(Duration.ofMillis(1999));
    assertThat(f.cluster.health().backingOff(f.r1, f.clock.instant())).as("2 s now").isTrue();
    f.advance(Duration.ofMillis(1));
    f.readOnly(f.r1, "0/100");
    assertThat(f.r1.health()).isEqualTo(UP);
    assertThat(f.cluster.status().get(1).lastError()).isEmpty();
  }

  @Test
  void aLaggingReplicaCanGoDownAndComeBack() {
    f.started();
    f.writable(f.primary, "0/200");
    f.advance(Duration.ofSeconds(6));
    f.readOnly(f.r1, "0/100");
    assertThat(f.r1.health()).isEqualTo(LAGGING);
    f.fails(f.r1);
    assertThat(f.r1.health()).isEqualTo(DOWN);
    f.advance(Duration.ofSeconds(2));
    f.readOnly(f.r1, "0/200");
    assertThat(f.r1.health()).isEqualTo(UP);
  }

  @Test
  void aPromotedReplicaTakesTheWritesWhenThePrimaryIsGone() {
    f.started();
    f.writable(f.r1, "0/150");
    assertThat(f.r1.health()).isEqualTo(WRITABLE);
    assertThat(f.cluster.primary()).as("the primary still answers writable").isSameAs(f.primary);
    f.fails(f.primary);
    assertThat(f.primary.health()).isEqualTo(DOWN);
    assertThat(f.cluster.primary()).isSameAs(f.r1);
    assertThat(f.registry.find("cohort.replica.failovers").counter().count()).isEqualTo(1.0);
    f.advance(Duration.ofSeconds(1));
    f.writable(f.primary, "0/160");
    assertThat(f.primary.health()).isEqualTo(WRITABLE);
    assertThat(f.cluster.primary()).as("the new primary stays").isSameAs(f.r1);
  }

  @Test
  void aReadOnlyPrimaryHandsOverToAWritableReplicaAndBack() {
    f.started();
    f.readOnly(f.primary, "0/100");
    assertThat(f.primary.health()).isEqualTo(UP);
    f.writable(f.r2, "0/100");
    assertThat(f.cluster.primary()).isSameAs(f.r2);
    f.readOnly(f.r2, "0/100");
    f.writable(f.primary, "0/100");
    assertThat(f.cluster.primary()).isSameAs(f.primary);
    assertThat(f.registry.find("cohort.replica.failovers").counter().count()).isEqualTo(2.0);
  }

  @Test
  void aLaggingReplicaThatIsPromotedBecomesWritable() {
    f.started();
    f.writable(f.primary, "0/200");
    f.advance(Duration.ofSeconds(6));
    f.readOnly(f.r1, "0/100");
    assertThat(f.r1.health()).isEqualTo(LAGGING);
    f.writable(f.r1, "0/100");
    assertThat(f.r1.health()).isEqualTo(WRITABLE);
  }

  @Test
  void aConnectionFailureOnAReplicaMarksItDownButNeverThePrimary() {
    f.started();
    f.cluster.markDown(f.r1, new java.sql.SQLException("reset", "08006"));
    f.cluster.markDown(f.primary, new java.sql.SQLException("reset", "08006"));
    assertThat(f.r1.health()).isEqualTo(DOWN);
    assertThat(f.primary.health()).isEqualTo(WRITABLE);
  }

  @Test
  void anIllegalMoveIsRefusedNamingNodeFromAndTo() {
    assertThatThrownBy(() -> f.r1.moveTo(LAGGING))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "node r1 cannot move from starting to lagging; from starting it may move to"
                + " [up, writable, down]");
    assertThat(f.r1.health()).isEqualTo(STARTING);
  }

  @Test
  void everyMoveFollowsTheTable() {
    for (NodeHealth from : NodeHealth.values()) {
      for (NodeHealth to : NodeHealth.values()) {
        if (from.canTransitionTo(to)) {
          assertThat(from.transition("n", to)).isEqualTo(to);
        } else {
          assertThatThrownBy(() -> from.transition("n", to))
              .hasMessageContaining("node n cannot move from " + from.code() + " to " + to.code());
        }
      }
    }
  }

  @AfterAll
  static void everyLegalTransitionWasExercised() {
    List<String> missing = new ArrayList<>();
    for (List<NodeHealth> t : NodeHealth.legalTransitions()) {
      String key = t.get(0) + "->" + t.get(1);
      if (!VISITED.contains(key)) {
        missing.add(key);
      }
    }
    assertThat(missing).as("legal node health transitions no scenario exercised").isEmpty();
  }
}
