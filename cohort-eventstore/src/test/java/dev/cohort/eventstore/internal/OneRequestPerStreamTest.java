package dev.cohort.eventstore.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.eventstore.EventData;
import java.util.List;
import org.junit.jupiter.api.Test;

class OneRequestPerStreamTest {
  private static AppendRequest request(String stream, long expected) {
    return new AppendRequest(stream, expected, List.of(EventData.of("E", "{}")), 0);
  }

  @Test
  void aStreamsLaterRequestsGoToLaterRoundsInTheirOrder() {
    AppendRequest a0 = request("a", 0);
    AppendRequest b0 = request("b", 0);
    AppendRequest a1 = request("a", 1);
    AppendRequest c0 = request("c", 0);
    AppendRequest a2 = request("a", 2);

    assertThat(PostgresAppend.oneRequestPerStream(List.of(a0, b0, a1, c0, a2)))
        .containsExactly(List.of(a0, b0, c0), List.of(a1), List.of(a2));
  }

  @Test
  void distinctStreamsStayOneRound() {
    AppendRequest a = request("a", 0);
    AppendRequest b = request("b", 4);

    assertThat(PostgresAppend.oneRequestPerStream(List.of(a, b))).containsExactly(List.of(a, b));
  }
}
