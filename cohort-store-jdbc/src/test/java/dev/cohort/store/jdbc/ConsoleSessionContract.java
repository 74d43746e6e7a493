package dev.cohort.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.coordinator.spi.ConsoleSessionRecord;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's sessions on every database: stored and read back whole, refreshed only forward,
 * deleted at log out, swept when idle or expired, and capped least recently seen first.
 */
abstract class ConsoleSessionContract {
  private static final Instant T = Instant.parse("2026-12-01T12:00:00Z");

  JdbcTransactionStore log;

  /** A fresh, empty log. */
  abstract JdbcTransactionStore freshLog();

  @BeforeEach
  void open() {
    log = freshLog();
    log.open();
  }

  @AfterEach
  void close() {
    log.close();
  }

  static ConsoleSessionRecord session(int n, Instant lastSeen) {
    return new ConsoleSessionRecord(
        hash(n), "ops-" + n, "operator", "c".repeat(63) + (n % 10), T, lastSeen, T.plus(hours(12)));
  }

  static String hash(int n) {
    return String.format("%064x", n);
  }

  static Duration hours(int h) {
    return Duration.ofHours(h);
  }

  @Test
  void aSessionIsStoredWholeAndDeletedAtLogOut() {
    ConsoleSessionRecord s = session(1, T);
    log.openSession(s, T.minusSeconds(1800), T, 10);

    assertThat(log.session(hash(1))).contains(s);
    assertThat(log.session(hash(2))).isEmpty();

    log.closeSession(hash(1));
    assertThat(log.session(hash(1))).isEmpty();
  }

  @Test
  void theLastUseOnlyMovesForward() {
    log.openSession(session(1, T), T.minusSeconds(1800), T, 10);

    log.touchSession(hash(1), T.plusSeconds(90));
    assertThat(log.session(hash(1)).orElseThrow().lastSeen()).isEqualTo(T.plusSeconds(90));
    log.touchSession(hash(1), T.plusSeconds(60)); // a slower node's older refresh
    assertThat(log.session(hash(1)).orElseThrow().lastSeen()).isEqualTo(T.plusSeconds(90));
  }

  @Test
  void openingASessionSweepsIdleAndExpiredOnes() {
    log.openSession(session(1, T), T.minusSeconds(1800), T, 10);
    log.openSession(session(2, T.plus(hours(1))), T.minusSeconds(1800), T, 10);
    ConsoleSessionRecord expired =
        new ConsoleSessionRecord(
            hash(3), "ops-3", "reader", "d".repeat(64), T, T.plus(hours(2)), T.plus(hours(2)));
    log.openSession(expired, T.minusSeconds(1800), T, 10);

    Instant now = T.plus(hours(2)).plusSeconds(1);
    log.openSession(session(4, now), T.plus(hours(1)).minusSeconds(1), now, 10);

    assertThat(log.session(hash(1))).as("idle since T").isEmpty();
    assertThat(log.session(hash(2))).isPresent();
    assertThat(log.session(hash(3))).as("past its expiry").isEmpty();
    assertThat(log.session(hash(4))).isPresent();
  }

  @Test
  void atTheCapTheLeastRecentlySeenGoFirst() {
    for (int n = 1; n <= 3; n++) {
      log.openSession(session(n, T.plusSeconds(n)), T.minusSeconds(1800), T, 3);
    }
    log.touchSession(hash(1), T.plusSeconds(10));

    log.openSession(session(4, T.plusSeconds(11)), T.minusSeconds(1800), T, 3);

    assertThat(log.session(hash(2))).as("least recently seen").isEmpty();
    assertThat(log.session(hash(1))).isPresent();
    assertThat(log.session(hash(3))).isPresent();
    assertThat(log.session(hash(4))).isPresent();

    log.openSession(session(5, T.plusSeconds(12)), T.minusSeconds(1800), T, 2);
    assertThat(log.session(hash(3))).isEmpty();
    assertThat(log.session(hash(1))).isEmpty();
    assertThat(log.session(hash(4))).isPresent();
    assertThat(log.session(hash(5))).isPresent();
  }
}
