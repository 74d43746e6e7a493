package dev.cohort.replica.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.replica.LagDistribution;
import dev.cohort.replica.Position;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LagSamplerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final LagSampler sampler = new LagSampler();
  private final Node replica = new Node("r", null, 1, (n, f, t) -> {});

  @Test
  void everyMeasurementEntersTheDistribution() {
    sampler.primaryAt(T0, new Position.Lsn(100));
    sampler.primaryAt(T0.plusMillis(10), new Position.Lsn(200));
    replica.position = new Position.Lsn(150);

    sampler.measure(replica, T0.plusMillis(40)); // 200 reached at +10: 30 ms behind
    sampler.measure(replica, T0.plusMillis(60)); // still behind: 50 ms
    replica.position = new Position.Lsn(200);
    sampler.measure(replica, T0.plusMillis(70)); // caught up

    LagDistribution d = sampler.distribution();
    assertThat(d.sampleCount()).isEqualTo(3);
    assertThat(d.max()).isEqualTo(Duration.ofMillis(50));
    assertThat(d.percentile(50)).isEqualTo(Duration.ofMillis(30));
  }

  @Test
  void onlyTheLastWindowOfMeasurementsIsKept() {
    replica.position = new Position.Lsn(1);
    for (int i = 0; i < LagDistribution.WINDOW + 10; i++) {
      sampler.measure(replica, T0);
    }
    assertThat(sampler.distribution().sampleCount()).isEqualTo(LagDistribution.WINDOW);
  }
}
