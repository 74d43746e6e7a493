package dev.cohort.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try")
class ConsistencyScopeTest {
  @AfterEach
  void reset() {
    Consistency.reset();
  }

  @Test
  void nestedPrimaryScopesUnwindInOrder() {
    try (Scope outer = Consistency.primary()) {
      try (Scope inner = Consistency.primary()) {
        assertThat(Consistency.primaryForced()).isTrue();
      }
      assertThat(Consistency.primaryForced()).isTrue();
    }
    assertThat(Consistency.primaryForced()).isFalse();
  }

  @Test
  void closingAnOuterScopeClosesForgottenInnerOnes() {
    Scope outer = Consistency.primary();
    Consistency.policy(ConsistencyPolicy.EVENTUAL); // never closed
    Consistency.primary(); // never closed
    outer.close();
    assertThat(Consistency.primaryForced()).isFalse();
    outer.close(); // second close: no effect
    assertThat(Consistency.primaryForced()).isFalse();
  }

  @Test
  void callableFormLeavesNothingBehindEvenWhenItThrows() {
    assertThatThrownBy(() ->
            Consistency.primary(() -> {
              throw new IllegalStateException("boom");
            }))
        .hasMessage("boom");
    assertThat(Consistency.primaryForced()).isFalse();
  }

  @Test
  void sessionRestoresThePreviousToken() {
    ConsistencyToken outer = ConsistencyToken.parse("c1;a:pg:0/10");
    Consistency.observe(outer);
    try (Consistency.Session s = Consistency.session(ConsistencyToken.parse("c1;b:pg:0/20"))) {
      Consistency.observe(ConsistencyToken.parse("c1;b:pg:0/30"));
      assertThat(s.token().format()).isEqualTo("c1;b:pg:0/30");
    }
    assertThat(Consistency.token()).isEqualTo(outer);
  }

  @Test
  void scopeMustBeClosedOnItsOwnThread() throws Exception {
    Scope s = Consistency.primary();
    Throwable error =
        CompletableFuture.runAsync(s::close)
            .handle((v, e) -> e == null ? null : e.getCause())
            .get();
    assertThat(error).isInstanceOf(IllegalStateException.class).hasMessageContaining("thread");
    s.close();
  }

  @Test
  void optionsRejectBadValuesNamingThem() {
    assertThatThrownBy(() -> ReplicaOptions.builder().pollInterval(java.time.Duration.ZERO))
        .hasMessageContaining("pollInterval must be positive, got PT0S");
    assertThatThrownBy(() -> ReplicaOptions.builder().sourceId("a b"))
        .hasMessageContaining("'a b'");
    assertThatThrownBy(() -> ConsistencyPolicy.boundedStaleness(java.time.Duration.ofSeconds(-1)))
        .hasMessageContaining("PT-1S");
  }
}
