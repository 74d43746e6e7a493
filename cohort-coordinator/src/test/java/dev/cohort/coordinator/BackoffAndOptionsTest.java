package dev.cohort.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.api.InvalidInputException;
import dev.cohort.coordinator.internal.Backoff;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffAndOptionsTest {
  private static final RandomGenerator ALWAYS_MAX =
      new RandomGenerator() {
        @Override
        public long nextLong() {
          return 0;
        }

        @Override
        public double nextDouble() {
          return 0.999999;
        }
      };

  @Test
  void delaysGrowByTheMultiplierUpToTheCap() {
    CoordinatorOptions options =
        CoordinatorOptions.newBuilder()
            .initialBackoff(Duration.ofMillis(100))
            .backoffMultiplier(3.0)
            .maxBackoff(Duration.ofSeconds(2))
            .jitter(0.0)
            .build();
    Backoff backoff = new Backoff(options, new SplittableRandom(1));

    assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(300));
    assertThat(backoff.delay(3)).isEqualTo(Duration.ofMillis(900));
    assertThat(backoff.delay(4)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delay(500)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void jitterShortensEachDelayByAtMostItsFraction() {
    CoordinatorOptions options = CoordinatorOptions.newBuilder().jitter(0.25).build();
    Backoff seeded = new Backoff(options, new SplittableRandom(7));
    for (int attempt = 1; attempt < 12; attempt++) {
      Duration full =
          Duration.ofMillis(
              (long)
                  Math.min(
                      60_000,
                      100 * Math.pow(CoordinatorOptions.DEFAULT_BACKOFF_MULTIPLIER, attempt - 1)));
      Duration d = seeded.delay(attempt);
      assertThat(d).isLessThanOrEqualTo(full);
      assertThat(d.toNanos()).isGreaterThanOrEqualTo((long) (full.toNanos() * 0.75) - 1);
    }
    assertThat(new Backoff(options, ALWAYS_MAX).delay(1).toMillis()).isEqualTo(75);
  }

  @Test
  void defaultsAreTheNamedConstants() {
    CoordinatorOptions d = CoordinatorOptions.defaults();
    assertThat(d.initialBackoff()).isEqualTo(CoordinatorOptions.DEFAULT_INITIAL_BACKOFF);
    assertThat(d.maxBackoff()).isEqualTo(CoordinatorOptions.DEFAULT_MAX_BACKOFF);
    assertThat(d.retryWindow()).isEqualTo(CoordinatorOptions.DEFAULT_RETRY_WINDOW);
    assertThat(d.toBuilder().build().toString()).isEqualTo(d.toString());
  }

  @Test
  void invalidOptionsNameTheBadValue() {
    assertThatThrownBy(() -> CoordinatorOptions.newBuilder().backoffMultiplier(0.5))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("backoffMultiplier must be a finite number >= 1.0 but was 0.5");
    assertThatThrownBy(() -> CoordinatorOptions.newBuilder().initialBackoff(Duration.ZERO))
        .hasMessage("initialBackoff must be a positive duration but was PT0S");
    assertThatThrownBy(() -> CoordinatorOptions.newBuilder().jitter(1.5))
        .hasMessageContaining("but was 1.5");
    assertThatThrownBy(() -> CoordinatorOptions.newBuilder().nodeId("a b"))
        .hasMessageContaining("'a b'");
    assertThatThrownBy(() ->
            CoordinatorOptions.newBuilder()
                .initialBackoff(Duration.ofMinutes(5))
                .maxBackoff(Duration.ofMinutes(1))
                .build())
        .hasMessageContaining("maxBackoff (PT1M) must not be shorter than initialBackoff (PT5M)");
  }
}
