package dev.cohort.server.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.testing.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
  private final Sessions sessions = new Sessions("the-token-0123456789", clock);

  @Test
  void onlyTheServersTokenOpensASession() {
    assertThat(sessions.isToken("the-token-0123456789")).isTrue();
    assertThat(sessions.isToken("the-token-012345678")).isFalse();
    assertThat(sessions.isToken("")).isFalse();
    assertThat(sessions.isToken(null)).isFalse();
  }

  @Test
  void aSessionEndsAfterItsIdleTimeButUseKeepsItOpen() {
    Sessions.Session s = sessions.open();
    clock.advance(Sessions.IDLE_TIMEOUT.minusSeconds(1));
    assertThat(sessions.find(s.id())).isPresent();
    clock.advance(Sessions.IDLE_TIMEOUT.minusSeconds(1));
    assertThat(sessions.find(s.id())).isPresent();
    clock.advance(Sessions.IDLE_TIMEOUT.plus(Duration.ofSeconds(1)));
    assertThat(sessions.find(s.id())).isEmpty();
  }

  @Test
  void theCsrfTokenIsPerSessionAndClosedSessionsAreGone() {
    Sessions.Session a = sessions.open();
    Sessions.Session b = sessions.open();
    assertThat(a.id()).isNotEqualTo(b.id()).hasSize(64);
    assertThat(Sessions.csrfMatches(a, a.csrf())).isTrue();
    assertThat(Sessions.csrfMatches(a, b.csrf())).isFalse();
    assertThat(Sessions.csrfMatches(a, null)).isFalse();
    sessions.close(a.id());
    assertThat(sessions.find(a.id())).isEmpty();
    assertThat(sessions.find(b.id())).isPresent();
    assertThat(sessions.find("")).isEmpty();
  }
}
