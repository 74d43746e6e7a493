package dev.cohort.server.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.protocol.v1.Role;
import dev.cohort.server.AccessToken;
import dev.cohort.server.internal.Access;
import dev.cohort.testing.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
  private final Sessions sessions =
      new Sessions(
          new Access(
              List.of(
                  AccessToken.operator("ops", "the-token-0123456789"),
                  AccessToken.reader("dash", "the-reader-0123456789")),
              List.of(),
              clock),
          clock);
  private final Access.Principal operator = new Access.Principal("ops", Role.OPERATOR);

  @Test
  void onlyTheServersTokensOpenASessionWithTheirRole() {
    assertThat(sessions.login("the-token-0123456789")).contains(operator);
    assertThat(sessions.login("the-reader-0123456789"))
        .contains(new Access.Principal("dash", Role.READER));
    assertThat(sessions.login("the-token-012345678")).isEmpty();
    assertThat(sessions.login("")).isEmpty();
    assertThat(sessions.login(null)).isEmpty();
  }

  @Test
  void onlyAnOperatorsSessionMayActAndTheLabelNamesTheTokenNeverItsSecret() {
    Sessions.Session ops = sessions.open(operator);
    Sessions.Session reader = sessions.open(new Access.Principal("dash", Role.READER));
    Sessions.Session client = sessions.open(new Access.Principal("app", Role.CLIENT));
    assertThat(ops.canAct()).isTrue();
    assertThat(reader.canAct()).isFalse();
    assertThat(client.canAct()).isFalse();
    assertThat(reader.label()).contains("token 'dash', reader").doesNotContain("the-reader");
    assertThat(ops.label()).doesNotContain(ops.id()).doesNotContain("the-token");
  }

  @Test
  void aSessionEndsAfterItsIdleTimeButUseKeepsItOpen() {
    Sessions.Session s = sessions.open(operator);
    clock.advance(Sessions.IDLE_TIMEOUT.minusSeconds(1));
    assertThat(sessions.find(s.id())).isPresent();
    clock.advance(Sessions.IDLE_TIMEOUT.minusSeconds(1));
    assertThat(sessions.find(s.id())).isPresent();
    clock.advance(Sessions.IDLE_TIMEOUT.plus(Duration.ofSeconds(1)));
    assertThat(sessions.find(s.id())).isEmpty();
  }

  @Test
  void theCsrfTokenIsPerSessionAndClosedSessionsAreGone() {
    Sessions.Session a = sessions.open(operator);
    Sessions.Session b = sessions.open(operator);
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
