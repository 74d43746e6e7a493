package dev.cohort.server.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.protocol.v1.Role;
import dev.cohort.server.AccessToken;
import dev.cohort.server.internal.Access;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import dev.cohort.testing.time.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions kept in a real (SQLite) log, with a clock the test moves. */
class SessionsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
  private final AccessToken reloadable = AccessToken.operator("ops-bob", "bobs-token-0123456789");
  private final Access access =
      new Access(
          List.of(
              AccessToken.operator("ops", "the-token-0123456789"),
              AccessToken.reader("dash", "the-reader-0123456789")),
          List.of(reloadable),
          List.of(),
          clock);
  private final Access.Principal operator = new Access.Principal("ops", Role.OPERATOR);

  @TempDir Path dir;
  JdbcTransactionStore store;
  Sessions sessions;

  @BeforeEach
  void open() {
    store = JdbcTransactionStore.sqlite(dir.resolve("log.db"));
    store.open();
    sessions = new Sessions(access, store, clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

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
    assertThat(sessions.find(reader.id()).orElseThrow().canAct()).isFalse();
    assertThat(sessions.find(ops.id()).orElseThrow().canAct()).isTrue();
  }

  @Test
  void theLogKeepsTheIdsHashAndTheTokensIdNeverTheIdOrTheToken() {
    Sessions.Session s = sessions.open(operator);
    assertThat(store.session(s.id())).isEmpty();
    var stored = store.session(Sessions.hash(s.id())).orElseThrow();
    assertThat(stored.idHash()).isNotEqualTo(s.id()).hasSize(64);
    assertThat(stored.tokenId()).isEqualTo("ops");
    assertThat(stored.role()).isEqualTo("operator");
    assertThat(stored.csrf()).isEqualTo(s.csrf());
    assertThat(stored.expires()).isEqualTo(clock.instant().plus(Sessions.MAX_AGE));
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
    assertThat(store.session(Sessions.hash(s.id()))).as("deleted when found expired").isEmpty();
  }

  @Test
  void aPageViewWritesTheLastUseAtMostOncePerTouchInterval() {
    Sessions.Session s = sessions.open(operator);
    Instant opened = clock.instant();
    clock.advance(Sessions.TOUCH_EVERY.minusSeconds(1));
    assertThat(sessions.find(s.id())).isPresent();
    assertThat(store.session(Sessions.hash(s.id())).orElseThrow().lastSeen())
        .as("not written within the interval")
        .isEqualTo(opened);
    clock.advance(Duration.ofSeconds(1));
    assertThat(sessions.find(s.id())).isPresent();
    assertThat(store.session(Sessions.hash(s.id())).orElseThrow().lastSeen())
        .isEqualTo(clock.instant());
  }

  @Test
  void aSessionEndsAtItsMaximumAgeHoweverMuchItIsUsed() {
    Sessions.Session s = sessions.open(operator);
    Instant end = clock.instant().plus(Sessions.MAX_AGE);
    while (clock.instant().plus(Sessions.IDLE_TIMEOUT).isBefore(end)) {
      clock.advance(Sessions.IDLE_TIMEOUT.minusMinutes(5));
      assertThat(sessions.find(s.id())).as("at %s", clock.instant()).isPresent();
    }
    clock.advance(Duration.between(clock.instant(), end));
    assertThat(sessions.find(s.id())).isEmpty();
  }

  @Test
  void aTokenRemovedByAReloadEndsItsSessionsOnTheNextRequest() {
    Sessions.Session bob = sessions.open(new Access.Principal("ops-bob", Role.OPERATOR));
    Sessions.Session ops = sessions.open(operator);
    assertThat(sessions.find(bob.id())).isPresent();

    access.reload(List.of(AccessToken.reader("ops-bob", "bobs-token-0123456789")));

    assertThat(sessions.find(bob.id())).as("same id, now a reader: not the same token").isEmpty();
    assertThat(store.session(Sessions.hash(bob.id()))).isEmpty();
    assertThat(sessions.find(ops.id())).isPresent();
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
    assertThat(sessions.find("not-hex")).isEmpty();
  }

  @Test
  void atTheCapTheLeastRecentlyUsedSessionGoes() {
    List<Sessions.Session> opened = new ArrayList<>();
    for (int i = 0; i < Sessions.MAX_SESSIONS; i++) {
      opened.add(sessions.open(operator));
      clock.advance(Duration.ofMillis(1));
    }
    clock.advance(Sessions.TOUCH_EVERY);
    assertThat(sessions.find(opened.get(0).id())).as("used again: now the most recent").isPresent();

    Sessions.Session extra = sessions.open(operator);

    assertThat(sessions.find(opened.get(1).id())).as("least recently used").isEmpty();
    assertThat(sessions.find(opened.get(0).id())).isPresent();
    assertThat(sessions.find(opened.get(2).id())).isPresent();
    assertThat(sessions.find(extra.id())).isPresent();
  }
}
