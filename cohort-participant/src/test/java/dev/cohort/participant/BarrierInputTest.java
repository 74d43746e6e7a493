package dev.cohort.participant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.jdbc.Database;
import dev.cohort.participant.internal.BarrierSql;
import dev.cohort.protocol.Operation;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Bad input is refused before the database is touched, with a message that says the fix. */
class BarrierInputTest {
  private static final DataSource UNTOUCHABLE =
      (DataSource)
          Proxy.newProxyInstance(
              BarrierInputTest.class.getClassLoader(),
              new Class<?>[] {DataSource.class},
              (proxy, method, args) -> {
                throw new AssertionError(
                    "validation must fail before the database is touched: " + method.getName());
              });

  private final Barrier barrier =
      Barrier.builder(UNTOUCHABLE).database(Database.POSTGRESQL).build();

  @Test
  void shouldRejectNullOrBlankGid() {
    assertThatThrownBy(() -> barrier.run(null, "b1", Operation.TRY, c -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gid must not be null")
        .hasMessageContaining("global transaction id");
    assertThatThrownBy(() -> barrier.run("  ", "b1", Operation.TRY, c -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gid must not be blank");
  }

  @Test
  void shouldRejectNullOrBlankBranchId() {
    assertThatThrownBy(() -> barrier.run("g1", null, Operation.TRY, c -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("branchId must not be null");
    assertThatThrownBy(() -> barrier.run("g1", "", Operation.TRY, c -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("branchId must not be blank");
  }

  @Test
  void shouldRejectOverLongIdsNamingTheLengthAndLimit() {
    String tooLong = "g".repeat(Barrier.MAX_ID_LENGTH + 1);
    assertThatThrownBy(() -> barrier.run(tooLong, "b1", Operation.TRY, c -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gid 'gggg")
        .hasMessageContaining("is 129 characters")
        .hasMessageContaining("at most 128");
    assertThatThrownBy(() -> barrier.run("g1", tooLong, Operation.TRY, c -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("branchId");
    String longest = "g".repeat(Barrier.MAX_ID_LENGTH);
    assertThatThrownBy(() -> barrier.run(longest, "b1", Operation.TRY, c -> {}))
        .as("a valid id gets past validation, to the (untouchable) database")
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void shouldRejectIdsWithSurroundingWhitespace() {
    assertThatThrownBy(() -> barrier.run("g1 ", "b1", Operation.TRY, c -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gid 'g1 ' has leading or trailing whitespace");
  }

  @Test
  void shouldRejectNullOpAndNullWork() {
    assertThatThrownBy(() -> barrier.run("g1", "b1", null, c -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("op must not be null")
        .hasMessageContaining("Operation.CONFIRM");
    assertThatThrownBy(() -> barrier.run("g1", "b1", Operation.CONFIRM, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("work must not be null")
        .hasMessageContaining("conn -> {}");
  }

  @Test
  void shouldRejectNullConnectionInRunIn() {
    assertThatThrownBy(() -> barrier.runIn(null, "g1", "b1", Operation.TRY, c -> {}))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("connection must not be null");
  }

  @Test
  void shouldRejectBadSettings() {
    assertThatThrownBy(() -> Barrier.builder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("dataSource");
    assertThatThrownBy(() -> Barrier.builder(UNTOUCHABLE).maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts is 0");
    assertThatThrownBy(() ->
            Barrier.builder(UNTOUCHABLE).database(Database.SQLITE).table("x; drop table y").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'x; drop table y'");
    assertThatThrownBy(() -> BarrierPurger.builder(barrier).batchSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batchSize is 0");
    assertThatThrownBy(() -> BarrierPurger.builder(barrier).retention(Duration.ofDays(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retention is PT-24H");
    assertThatThrownBy(() -> BarrierPurger.builder(barrier).interval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interval is PT0S");
  }

  @Test
  void shouldDetectDialectsAndRejectUnknownDatabases() {
    assertThat(Database.fromProductName("PostgreSQL")).isEqualTo(Database.POSTGRESQL);
    assertThat(Database.fromProductName("MariaDB")).isEqualTo(Database.MARIADB);
    assertThat(Database.fromProductName("MySQL")).isEqualTo(Database.MARIADB);
    assertThat(Database.fromProductName("SQLite")).isEqualTo(Database.SQLITE);
    assertThatThrownBy(() -> Database.fromProductName("Oracle"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Oracle'")
        .hasMessageContaining("supported: PostgreSQL, MariaDB (and MySQL), SQLite");
  }

  @Test
  void shouldDescribeOps() {
    assertThat(Operation.CANCEL.origin()).contains(Operation.TRY);
    assertThat(Operation.COMPENSATE.origin()).contains(Operation.ACTION);
    assertThat(Operation.CONFIRM.origin()).isEmpty();
    assertThat(Operation.fromCode("compensate")).isEqualTo(Operation.COMPENSATE);
    assertThat(BarrierResult.EMPTY_ROLLBACK.successful()).isTrue();
    assertThat(BarrierResult.REFUSED_AFTER_CANCEL.successful()).isFalse();
    assertThat(BarrierResult.DUPLICATE_SKIPPED.applied()).isFalse();
    assertThatThrownBy(() -> Operation.fromCode("comit"))
        .hasMessageContaining("unknown operation code 'comit'")
        .hasMessageContaining("prepare, commit, rollback");
    assertThat(Operation.ROLLBACK.origin()).contains(Operation.PREPARE);
    assertThat(Operation.PREPARE.undo()).contains(Operation.ROLLBACK);
    assertThat(Operation.CONFIRM.isUndoable()).isFalse();
  }

  @Test
  void shouldClassifyConflictsPerDatabase() {
    BarrierSql pg = new BarrierSql(Database.POSTGRESQL, "t");
    BarrierSql maria = new BarrierSql(Database.MARIADB, "t");
    BarrierSql sqlite = new BarrierSql(Database.SQLITE, "t");
    assertThat(pg.isConflict(new SQLException("deadlock detected", "40P01"))).isTrue();
    assertThat(pg.isConflict(new SQLException("could not serialize", "40001"))).isTrue();
    assertThat(pg.isConflict(new SQLException("unique violation", "23505"))).isFalse();
    assertThat(maria.isConflict(new SQLTransactionRollbackException("Deadlock", "40001", 1213)))
        .isTrue();
    assertThat(maria.isConflict(new SQLException("Lock wait timeout", "HY000", 1205))).isTrue();
    assertThat(maria.isConflict(new SQLException("Duplicate entry", "23000", 1062))).isFalse();
    assertThat(sqlite.isConflict(new SQLException("[SQLITE_BUSY]", null, 5))).isTrue();
    assertThat(sqlite.isConflict(new SQLException("[SQLITE_BUSY_SNAPSHOT]", null, 517))).isTrue();
    assertThat(sqlite.isConflict(new SQLException("[SQLITE_CONSTRAINT]", null, 19))).isFalse();
    assertThat(pg.isConflict(new RuntimeException(new SQLException("wrapped", "40P01"))))
        .as("found in the cause chain")
        .isTrue();
  }

  @Test
  void shouldRejectRunInWithAutoCommitOn() {
    Connection autoCommitting =
        (Connection)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("getAutoCommit")) {
                    return true;
                  }
                  throw new AssertionError("unexpected call " + method.getName());
                });
    assertThatThrownBy(() -> barrier.runIn(autoCommitting, "g1", "b1", Operation.TRY, c -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("setAutoCommit(false)");
  }
}
