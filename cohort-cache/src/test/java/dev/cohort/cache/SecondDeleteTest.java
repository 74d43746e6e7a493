package dev.cohort.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.replica.LagDistribution;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SecondDeleteTest {
  private final AtomicReference<LagDistribution> lag = new AtomicReference<>(LagDistribution.EMPTY);
  private final SecondDelete delay = SecondDelete.fromLag(lag::get, 99, 2, Duration.ofMillis(500));

  @Test
  void theDelayIsTheP99TimesTheFactorReadAfreshForEachWrite() {
    assertThat(delay.delay()).isEqualTo(Duration.ZERO);

    lag.set(millis(LongStream.rangeClosed(1, 100))); // p99 = 99 ms
    assertThat(delay.delay()).isEqualTo(Duration.ofMillis(198));

    lag.set(millis(LongStream.rangeClosed(1, 100).map(m -> m / 10))); // p99 = 9 ms
    assertThat(delay.delay()).isEqualTo(Duration.ofMillis(18));
  }

  @Test
  void theDelayNeverExceedsTheCap() {
    lag.set(millis(LongStream.of(5_000, 6_000)));
    assertThat(delay.delay()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void badSettingsAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> SecondDelete.fromLag(lag::get, 99, 0.5, Duration.ofSeconds(1)))
        .hasMessageContaining("got 0.5");
    assertThatThrownBy(() -> SecondDelete.fromLag(lag::get, 99, 2, Duration.ZERO))
        .hasMessageContaining("got PT0S");
    assertThatThrownBy(() -> SecondDelete.fromLag(lag::get, 120, 2, Duration.ofSeconds(1)))
        .hasMessageContaining("got 120.0");
    assertThatThrownBy(() -> SecondDelete.fixed(Duration.ofMillis(-1)))
        .hasMessageContaining("got PT-0.001S");
  }

  private static LagDistribution millis(LongStream ms) {
    return LagDistribution.ofNanos(ms.map(m -> m * 1_000_000).toArray());
  }
}
