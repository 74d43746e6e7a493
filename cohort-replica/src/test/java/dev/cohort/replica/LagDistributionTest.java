package dev.cohort.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LagDistributionTest {
  @Test
  void percentilesAreNearestRankOverTheMeasurements() {
    long[] millis = LongStream.rangeClosed(1, 100).map(m -> m * 1_000_000).toArray();
    LagDistribution d = LagDistribution.ofNanos(millis);

    assertThat(d.sampleCount()).isEqualTo(100);
    assertThat(d.percentile(50)).isEqualTo(Duration.ofMillis(50));
    assertThat(d.percentile(99)).isEqualTo(Duration.ofMillis(99));
    assertThat(d.percentile(100)).isEqualTo(Duration.ofMillis(100));
    assertThat(d.max()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void nothingMeasuredIsZeroLag() {
    assertThat(LagDistribution.EMPTY.percentile(99)).isEqualTo(Duration.ZERO);
    assertThat(LagDistribution.EMPTY.max()).isEqualTo(Duration.ZERO);
  }

  @Test
  void aPercentileOutsideTheRangeIsRefusedNamingIt() {
    assertThatThrownBy(() -> LagDistribution.EMPTY.percentile(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 0.0");
    assertThatThrownBy(() -> LagDistribution.EMPTY.percentile(101))
        .hasMessageContaining("got 101.0");
  }
}
