package dev.cohort.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void theMedianOfAnOddCountIsTheMiddleValueWhateverTheOrder() {
    assertThat(Stats.median(List.of(300.0, 100.0, 200.0))).isEqualTo(200.0);
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
    assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
  }

  @Test
  void oneOutlierMovesTheMedianNotAtAll() {
    assertThat(Stats.median(List.of(100.0, 101.0, 99.0, 100.0, 5.0))).isEqualTo(100.0);
  }

  @Test
  void theRangeIsTheSmallestAndTheLargest() {
    List<Double> rounds = List.of(277.0, 348.0, 335.0);
    assertThat(Stats.min(rounds)).isEqualTo(277.0);
    assertThat(Stats.max(rounds)).isEqualTo(348.0);
  }

  @Test
  void noValuesGiveNaNRatherThanAFigure() {
    assertThat(Stats.median(List.of())).isNaN();
    assertThat(Stats.min(List.of())).isNaN();
    assertThat(Stats.max(List.of())).isNaN();
  }
}
