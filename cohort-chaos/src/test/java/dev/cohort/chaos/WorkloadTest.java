package dev.cohort.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkloadTest {
  @Test
  void aMixIsReadInItsOrderWithItsWeights() {
    Workload w = Workload.builder().mix("tcc=3, saga=1,plain=0").purchases(10).build();

    assertThat(w.weights())
        .containsExactly(
            java.util.Map.entry("tcc", 3),
            java.util.Map.entry("saga", 1),
            java.util.Map.entry("plain", 0));
  }

  @Test
  void aMixEntryWithoutAWeightIsRefusedNamingIt() {
    assertThatThrownBy(() -> Workload.builder().mix("tcc=3,saga"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'saga'")
        .hasMessageContaining("MODE=WEIGHT");
  }

  @Test
  void exactlyOneOfPurchasesAndDurationIsRequired() {
    assertThatThrownBy(() -> Workload.builder().mode("tcc", 1).build())
        .hasMessageContaining("either purchases or duration");
    assertThatThrownBy(() ->
            Workload.builder().mode("tcc", 1).purchases(5).duration(Duration.ofSeconds(1)).build())
        .hasMessageContaining("exactly one");
  }

  @Test
  void allWeightsZeroIsRefused() {
    assertThatThrownBy(() -> Workload.builder().mode("tcc", 0).purchases(1).build())
        .hasMessageContaining("positive weight");
  }
}
