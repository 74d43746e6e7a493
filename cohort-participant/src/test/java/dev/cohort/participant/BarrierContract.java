package dev.cohort.participant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.jdbc.Database;
import dev.cohort.jdbc.SchemaException;
import dev.cohort.protocol.Operation;
import dev.cohort.testing.time.ManualScheduler;
import dev.cohort.testing.time.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the barrier promises, run against each database. Every applied business call writes one row
 * to {@code effects}, so a test counts exactly what ran.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BarrierContract {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  protected DataSource dataSource;
  private MutableClock clock;
  private Barrier barrier;
  private String gid;

  /** A DataSource on an empty database (schema) of its own. */
  protected abstract DataSource openDatabase() throws Exception;

  protected abstract void closeDatabase() throws Exception;

  protected abstract Database expectedDatabase();

  @BeforeAll
  void createTables() throws Exception {
    dataSource = openDatabase();
    clock = new MutableClock(START);
    barrier = Barrier.builder(dataSource).clock(clock).build();
    barrier.createSchema();
    execute(
        "CREATE TABLE effects (gid VARCHAR(128) NOT NULL, branch_id VARCHAR(128) NOT NULL,"
            + " op VARCHAR(16) NOT NULL)");
  }

  @AfterAll
  void close() throws Exception {
    closeDatabase();
  }

  @BeforeEach
  void newGid() {
    gid = "gid-" + UUID.randomUUID();
  }

  @Test
  void shouldDetectTheDatabaseAndCreateTheSchemaIdempotently() throws SQLException {
    assertThat(Barrier.forDataSource(dataSource).database()).isEqualTo(expectedDatabase());
    barrier.createSchema();
    barrier.createSchema();
    barrier.verifySchema();
    assertThat(historyOf(barrier.table())).containsExactly(1);
  }

  @Test
  void shouldRecordABarrierTableMadeBeforeTheHistoryAsVersionOne() throws SQLException {
    Barrier earlier = Barrier.builder(dataSource).table("barrier_earlier").build();
    // What createSchema ran before the schema had versions: the same table, no history.
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      for (String ddl : earlier.schema().migrations(expectedDatabase()).getFirst().statements()) {
        s.execute(ddl);
      }
    }
    assertThatThrownBy(earlier::verifySchema).isInstanceOf(SchemaException.class);

    earlier.createSchema();

    earlier.verifySchema();
    assertThat(historyOf("barrier_earlier")).containsExactly(1);
    assertThat(earlier.run(gid, "b1", Operation.TRY, conn -> {})).isEqualTo(BarrierResult.APPLIED);
  }

  @Test
  void shouldVerifyASchemaAppliedWithTheServicesOwnTool() throws SQLException {
    Barrier own = Barrier.builder(dataSource).table("barrier_own_tool").build();
    assertThatThrownBy(own::verifySchema)
        .isInstanceOf(SchemaException.class)
        .hasMessageContaining("at version 0")
        .hasMessageContaining("--component barrier");

    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      for (String sql : own.schemaStatements()) {
        s.execute(sql);
      }
    }

    own.verifySchema();
    assertThat(own.run(gid, "b1", Operation.TRY, conn -> {})).isEqualTo(BarrierResult.APPLIED);
  }

  private List<Integer> historyOf(String table) throws SQLException {
    List<Integer> versions = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT version FROM " + table + "_version ORDER BY version")) {
      while (rs.next()) {
        versions.add(rs.getInt(1));
      }
    }
    return versions;
  }

  @Test
  void shouldApplyTryThenConfirmOnceEachAndSkipDuplicates() throws SQLException {
    assertThat(call("b1", Operation.TRY)).isEqualTo(BarrierResult.APPLIED);
    assertThat(call("b1", Operation.TRY)).isEqualTo(BarrierResult.DUPLICATE_SKIPPED);
    assertThat(call("b1", Operation.CONFIRM)).isEqualTo(BarrierResult.APPLIED);
    assertThat(call("b1", Operation.CONFIRM)).isEqualTo(BarrierResult.DUPLICATE_SKIPPED);
    assertThat(call("b1", Operation.CONFIRM)).isEqualTo(BarrierResult.DUPLICATE_SKIPPED);
    assertThat(effects("b1", Operation.TRY)).isEqualTo(1);
    assertThat(effects("b1", Operation.CONFIRM)).isEqualTo(1);
  }

  @Test
  void shouldApplyCancelAfterTryOnceAndSkipDuplicateCancels() throws SQLException {
    assertThat(call("b1", Operation.TRY)).isEqualTo(BarrierResult.APPLIED);
    assertThat(call("b1", Operation.CANCEL)).isEqualTo(BarrierResult.APPLIED);
    assertThat(call("b1", Operation.CANCEL)).isEqualTo(BarrierResult.DUPLICATE_SKIPPED);
    assertThat(call("b1", Operation.TRY))
        .as("a redelivered try of a branch already tried and cancelled")
        .isEqualTo(BarrierResult.DUPLICATE_SKIPPED);
    assertThat(effects("b1", Operation.TRY)).isEqualTo(1);
    assertThat(effects("b1", Operation.CANCEL)).isEqualTo(1);
  }

  @Test
  void shouldTreatCancelBeforeTryAsEmptyRollbackAndRefuseTheLateTry() throws SQLException {
    assertThat(call("b1", Operation.CANCEL)).isEqualTo(BarrierResult.EMPTY_ROLLBACK);
    assertThat(call("b1", Operation.TRY)).isEqualTo(BarrierResult.REFUSED_AFTER_CANCEL);
    assertThat(call("b1", Operation.TRY)).isEqualTo(BarrierResult.REFUSED_AFTER_CANCEL);
    assertThat(call("b1", Operation.CANCEL)).isEqualTo(BarrierResult.DUPLICATE_SKIPPED);
    assertThat(effects("b1", null)).isZero();
  }

  @Test
  void shouldTreatCompensateBeforeActionAsEmptyRollbackAndRefuseTheLateAction()
      throws SQLException {
    assertThat(call("b1", Operation.COMPENSATE)).isEqualTo(BarrierResult.EMPTY_ROLLBACK);
    assertThat(call("b1", Operation.ACTION)).isEqualTo(BarrierResult.REFUSED_AFTER_CANCEL);
    assertThat(call("b1", Operation.COMPENSATE)).isEqualTo(BarrierResult.DUPLICATE_SKIPPED);
    assertThat(effects("b1", null)).isZero();
  }

  @Test
  void shouldApplyActionThenCompensateOnceEach() throws SQLException {
    assertThat(call("b1", Operation.ACTION)).isEqualTo(BarrierResult.APPLIED);
    assertThat(call("b1", Operation.ACTION)).isEqualTo(BarrierResult.DUPLICATE_SKIPPED);
    assertThat(call("b1", Operation.COMPENSATE)).isEqualTo(BarrierResult.APPLIED);
    assertThat(call("b1", Operation.COMPENSATE)).isEqualTo(BarrierResult.DUPLICATE_SKIPPED);
    assertThat(effects("b1", Operation.ACTION)).isEqualTo(1);
    assertThat(effects("b1", Operation.COMPENSATE)).isEqualTo(1);
  }

  @Test
  void shouldKeepBranchesAndCaseDistinctIds() throws SQLException {
    assertThat(call("b1", Operation.CANCEL)).isEqualTo(BarrierResult.EMPTY_ROLLBACK);
    assertThat(call("b2", Operation.TRY)).isEqualTo(BarrierResult.APPLIED);
    assertThat(call("B1", Operation.TRY))
        .as("ids are case-sensitive on every database")
        .isEqualTo(BarrierResult.APPLIED);
    assertThat(effects(null, Operation.TRY)).isEqualTo(2);
  }

  @Test
  void shouldRollBackAndForgetTheCallWhenTheBusinessCodeThrows() throws SQLException {
    IllegalStateException boom = new IllegalStateException("out of stock");
    assertThatThrownBy(() ->
            barrier.run(
                gid,
                "b1",
                Operation.TRY,
                c -> {
                  recordEffect(c, "b1", Operation.TRY);
                  throw boom;
                }))
        .isSameAs(boom);
    assertThat(effects("b1", null)).isZero();
    assertThat(barrierRows(barrier.table())).isZero();
    assertThat(call("b1", Operation.TRY)).as("a retry applies it").isEqualTo(BarrierResult.APPLIED);
  }

  @Test
  void shouldPropagateACheckedBusinessExceptionUnchangedAndCountACancelAfterItAsEmpty()
      throws SQLException {
    SQLException business = new SQLException("check constraint: balance >= 0", "23514");
    assertThatThrownBy(() ->
            barrier.run(
                gid,
                "b1",
                Operation.TRY,
                c -> {
                  recordEffect(c, "b1", Operation.TRY);
                  throw business;
                }))
        .isSameAs(business);
    assertThat(call("b1", Operation.CANCEL))
        .as("the failed try left nothing to undo")
        .isEqualTo(BarrierResult.EMPTY_ROLLBACK);
    assertThat(effects("b1", null)).isZero();
  }

  @Test
  void shouldRunTheWholeTransactionAgainWhenTheDatabaseAbortsItForAConcurrentOne()
      throws SQLException {
    long retriesBefore = barrier.conflictRetries();
    int[] calls = {0};
    BarrierResult result =
        barrier.run(
            gid,
            "b1",
            Operation.TRY,
            c -> {
              recordEffect(c, "b1", Operation.TRY);
              if (++calls[0] == 1) {
                throw new SQLException("simulated deadlock victim", "40001");
              }
            });
    assertThat(result).isEqualTo(BarrierResult.APPLIED);
    assertThat(calls[0]).isEqualTo(2);
    assertThat(barrier.conflictRetries() - retriesBefore).isEqualTo(1);
    assertThat(effects("b1", Operation.TRY)).as("the first attempt was rolled back").isEqualTo(1);
  }

  @Test
  void shouldReportARetryableConflictWhenTheAttemptsRunOut() throws SQLException {
    Barrier twice = Barrier.builder(dataSource).clock(clock).maxAttempts(2).build();
    assertThatThrownBy(() ->
            twice.run(
                gid,
                "b1",
                Operation.CONFIRM,
                c -> {
                  recordEffect(c, "b1", Operation.CONFIRM);
                  throw new IllegalStateException(
                      "wrapped", new SQLException("simulated deadlock victim", "40001"));
                }))
        .isInstanceOfSatisfying(
            BarrierConflictException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.attempts()).isEqualTo(2);
              assertThat(e.gid()).isEqualTo(gid);
              assertThat(e.getMessage()).contains("after 2 attempt(s); retry the call", gid);
            });
    assertThat(effects("b1", null)).isZero();
    assertThat(call("b1", Operation.CONFIRM))
        .as("nothing was kept, so a later call applies")
        .isEqualTo(BarrierResult.APPLIED);
  }

  @Test
  void shouldJoinTheCallersTransaction() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      assertThat(
              barrier.runIn(c, gid, "b1", Operation.TRY, x -> recordEffect(x, "b1", Operation.TRY)))
          .isEqualTo(BarrierResult.APPLIED);
      c.rollback();
      assertThat(effects("b1", null)).as("the caller rolled back").isZero();

      assertThat(
              barrier.runIn(c, gid, "b1", Operation.TRY, x -> recordEffect(x, "b1", Operation.TRY)))
          .isEqualTo(BarrierResult.APPLIED);
      assertThat(
              barrier.runIn(c, gid, "b1", Operation.TRY, x -> recordEffect(x, "b1", Operation.TRY)))
          .isEqualTo(BarrierResult.DUPLICATE_SKIPPED);
      c.commit();
      c.setAutoCommit(true);
    }
    assertThat(effects("b1", Operation.TRY)).isEqualTo(1);
  }

  @Test
  void shouldUndoOnlyTheBarrierCallWhenBusinessThrowsInsideTheCallersTransaction()
      throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      recordEffect(c, "caller", Operation.CONFIRM);
      IllegalStateException boom = new IllegalStateException("rejected");
      assertThatThrownBy(() ->
              barrier.runIn(
                  c,
                  gid,
                  "b1",
                  Operation.CONFIRM,
                  x -> {
                    recordEffect(x, "b1", Operation.CONFIRM);
                    throw boom;
                  }))
          .isSameAs(boom);
      c.commit();
      c.setAutoCommit(true);
    }
    assertThat(effects("caller", Operation.CONFIRM)).as("the caller's own work").isEqualTo(1);
    assertThat(effects("b1", null)).isZero();
    assertThat(call("b1", Operation.CONFIRM))
        .as("the barrier row went with the savepoint, so a retry applies")
        .isEqualTo(BarrierResult.APPLIED);
  }

  @Test
  void shouldReportAConflictInTheCallersTransactionAsRetryable() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      assertThatThrownBy(() ->
              barrier.runIn(
                  c,
                  gid,
                  "b1",
                  Operation.TRY,
                  x -> {
                    recordEffect(x, "b1", Operation.TRY);
                    throw new SQLException("simulated deadlock victim", "40001");
                  }))
          .isInstanceOfSatisfying(
              BarrierConflictException.class,
              e -> assertThat(e.getMessage()).contains("roll it back", "retry the call"));
      c.rollback();
      c.setAutoCommit(true);
    }
    assertThat(call("b1", Operation.TRY)).isEqualTo(BarrierResult.APPLIED);
    assertThat(effects("b1", Operation.TRY)).isEqualTo(1);
  }

  @Test
  void shouldPurgeRowsOlderThanTheRetentionInBatches() throws SQLException {
    MutableClock purgeClock = new MutableClock(START);
    Barrier b = Barrier.builder(dataSource).table("purge_batches").clock(purgeClock).build();
    b.createSchema();
    for (int i = 0; i < 5; i++) {
      b.run("old-" + i, "b1", Operation.CONFIRM, c -> {});
    }
    purgeClock.advance(Duration.ofDays(6));
    b.run("young", "b1", Operation.CANCEL, c -> {}); // two rows: try (cancelled) and cancel
    purgeClock.advance(Duration.ofDays(2));

    BarrierPurger purger =
        BarrierPurger.builder(b).retention(Duration.ofDays(7)).batchSize(2).build();
    try (purger) {
      assertThat(purger.purgeNow()).as("3 batches: 2 + 2 + 1").isEqualTo(5);
      assertThat(purger.purgeNow()).isZero();
    }
    assertThat(barrierRows("purge_batches")).isEqualTo(2);
    assertThat(b.run("young", "b1", Operation.TRY, c -> {}))
        .as("the young rows still refuse a late try")
        .isEqualTo(BarrierResult.REFUSED_AFTER_CANCEL);
    assertThat(b.run("old-0", "b1", Operation.CONFIRM, c -> {}))
        .as("why the retention must outlast any redelivery: a purged call applies again")
        .isEqualTo(BarrierResult.APPLIED);
  }

  @Test
  void shouldPurgeOnTheScheduleAndKeepTheScheduleWhenARunFails() throws SQLException {
    MutableClock purgeClock = new MutableClock(START);
    ManualScheduler scheduler = new ManualScheduler(purgeClock);
    Barrier b = Barrier.builder(dataSource).table("purge_schedule").clock(purgeClock).build();
    BarrierPurger purger =
        BarrierPurger.builder(b)
            .retention(Duration.ofHours(1))
            .interval(Duration.ofMinutes(10))
            .scheduler(scheduler)
            .build()
            .start();
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMinutes(10));

    scheduler.advanceInSteps(Duration.ofMinutes(10)); // no table yet: the run fails
    assertThat(scheduler.pendingDelays())
        .as("a failed run keeps the schedule")
        .containsExactly(Duration.ofMinutes(10));

    b.createSchema();
    b.run("g-old", "b1", Operation.CONFIRM, c -> {}); // created at 10 min
    scheduler.advanceInSteps(Duration.ofMinutes(50)); // runs at 20, 30, 40, 50, 60 min
    b.run("g-new", "b1", Operation.CONFIRM, c -> {}); // created at 60 min
    assertThat(barrierRows("purge_schedule")).as("nothing is an hour old yet").isEqualTo(2);

    scheduler.advanceInSteps(Duration.ofMinutes(20)); // runs at 70 (cutoff 10) and 80 (cutoff 20)
    assertThat(barrierRows("purge_schedule")).isEqualTo(1);

    purger.close();
    assertThat(scheduler.pendingDelays()).as("close stops the schedule").isEmpty();
    assertThat(scheduler.isClosed()).as("a scheduler passed in is not ours to close").isFalse();
  }

  private BarrierResult call(String branchId, Operation op) throws SQLException {
    return barrier.run(gid, branchId, op, c -> recordEffect(c, branchId, op));
  }

  private void recordEffect(Connection c, String branchId, Operation op) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("INSERT INTO effects (gid, branch_id, op) VALUES (?, ?, ?)")) {
      s.setString(1, gid);
      s.setString(2, branchId);
      s.setString(3, op.code());
      s.executeUpdate();
    }
  }

  /** Effects of this test's gid, for a branch and op (null = any). */
  private int effects(String branchId, Operation op) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT COUNT(*) FROM effects WHERE gid = ? AND (? IS NULL OR branch_id = ?)"
                    + " AND (? IS NULL OR op = ?)")) {
      String opCode = op == null ? null : op.code();
      s.setString(1, gid);
      s.setString(2, branchId);
      s.setString(3, branchId);
      s.setString(4, opCode);
      s.setString(5, opCode);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** Barrier rows of this test's gid in {@code table}, or all of them for the purge tables. */
  private int barrierRows(String table) throws SQLException {
    boolean mine = table.equals(barrier.table());
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT COUNT(*) FROM " + table + (mine ? " WHERE gid = ?" : ""))) {
      if (mine) {
        s.setString(1, gid);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
