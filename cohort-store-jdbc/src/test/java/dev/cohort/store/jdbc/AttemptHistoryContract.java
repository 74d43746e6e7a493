package dev.cohort.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.spi.AttemptRecord;
import dev.cohort.coordinator.spi.AttemptRecord.Outcome;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.LogUnit;
import dev.cohort.coordinator.spi.LogUnit.BranchWrite;
import dev.cohort.coordinator.spi.WriteResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The attempt history on every database: kept with the call's result, bounded per branch and
 * operation, only for units that applied, purged with the transaction.
 */
abstract class AttemptHistoryContract {
  static final int KEPT = 3;
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  JdbcTransactionStore log;

  /** A fresh, empty log keeping {@link #KEPT} attempts per branch and operation. */
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

  @Test
  void keepsTheLastAttemptsOfEachBranchAndOperationWithTheirDetails() {
    Gid gid = inserted("attempts-1");
    for (int n = 1; n <= 5; n++) {
      assertThat(log.write(failedCall(gid, "b1", "confirm", n)).join())
          .isEqualTo(WriteResult.APPLIED);
    }
    assertThat(log.write(failedCall(gid, "b2", "confirm", 1)).join())
        .isEqualTo(WriteResult.APPLIED);

    List<AttemptRecord> kept = log.attempts(gid);
    assertThat(kept)
        .extracting(a -> a.branchId().value(), AttemptRecord::attempt)
        .containsExactly(tuple("b2", 1), tuple("b1", 3), tuple("b1", 4), tuple("b1", 5));
    AttemptRecord last = kept.getLast();
    assertThat(last.operation()).isEqualTo("confirm");
    assertThat(last.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(last.httpStatus()).isEqualTo(503);
    assertThat(last.error()).isEqualTo("HTTP 503 from stock, call 5 — unavailable ‘ü’");
    assertThat(last.at()).isEqualTo(T.plusSeconds(5));
    assertThat(last.took()).isEqualTo(Duration.ofMillis(12).plusNanos(345_000));
    assertThat(log.load(gid).orElseThrow().branches())
        .filteredOn(b -> b.branchId().value().equals("b1"))
        .singleElement()
        .extracting(BranchRecord::attempts)
        .isEqualTo(5);
  }

  @Test
  void aUnitWhoseGuardMissesKeepsNoAttempt() {
    Gid gid = inserted("attempts-2");
    GlobalRecord g = log.load(gid).orElseThrow().global();
    LogUnit miss =
        new LogUnit(
            new LogUnit.Cas(GlobalStatus.COMMITTING, g.withStatus(GlobalStatus.COMMITTED, T)),
            List.of(attempt(gid, "b1", "confirm", 1, Outcome.SUCCEEDED)));
    assertThat(log.write(miss).join()).isEqualTo(WriteResult.CONFLICT);
    assertThat(log.attempts(gid)).isEmpty();
  }

  @Test
  void callsOfOneBatchToTheSameSlotKeepTheLaterOne() {
    Gid gid = inserted("attempts-3");
    // Attempts 1 and 1 + KEPT share a slot; submitted together they may share a commit.
    List<CompletableFuture<WriteResult>> writes = new ArrayList<>();
    writes.add(log.write(update(gid, List.of(attempt(gid, "b1", "cancel", 1, Outcome.FAILED)))));
    writes.add(
        log.write(
            update(
                gid,
                List.of(
                    attempt(gid, "b1", "cancel", 1 + KEPT, Outcome.FAILED),
                    attempt(gid, "b2", "cancel", 1, Outcome.SUCCEEDED)))));
    writes.forEach(w -> assertThat(w.join()).isEqualTo(WriteResult.APPLIED));
    assertThat(log.attempts(gid))
        .extracting(a -> a.branchId().value(), AttemptRecord::attempt, AttemptRecord::outcome)
        .containsExactlyInAnyOrder(
            tuple("b1", 1 + KEPT, Outcome.FAILED), tuple("b2", 1, Outcome.SUCCEEDED));
  }

  @Test
  void purgingATransactionRemovesItsAttempts() {
    Gid gid = inserted("attempts-4");
    GlobalRecord g = log.load(gid).orElseThrow().global();
    LogUnit toCommitting =
        new LogUnit(
            new LogUnit.Cas(GlobalStatus.BEGUN, g.withStatus(GlobalStatus.COMMITTING, T)),
            List.of());
    assertThat(log.write(toCommitting).join()).isEqualTo(WriteResult.APPLIED);
    GlobalRecord committing = log.load(gid).orElseThrow().global();
    LogUnit done =
        new LogUnit(
            new LogUnit.Cas(
                GlobalStatus.COMMITTING, committing.withStatus(GlobalStatus.COMMITTED, T)),
            List.of(
                new LogUnit.AdvanceBranches(gid, BranchStatus.REGISTERED, BranchStatus.CONFIRMED),
                attempt(gid, "b1", "confirm", 1, Outcome.SUCCEEDED),
                attempt(gid, "b2", "confirm", 1, Outcome.SUCCEEDED)));
    assertThat(log.write(done).join()).isEqualTo(WriteResult.APPLIED);
    assertThat(log.attempts(gid)).hasSize(2);

    assertThat(log.purgeFinished(T.plusSeconds(60), 10)).isEqualTo(1);
    assertThat(log.attempts(gid)).isEmpty();
  }

  private Gid inserted(String name) {
    Gid gid = Gid.of(name);
    GlobalRecord g = GlobalRecord.planned(gid, Mode.TCC, false, T, "n", T, T);
    List<BranchRecord> branches = new ArrayList<>();
    for (String id : List.of("b1", "b2")) {
      branches.add(
          new BranchRecord(
              gid,
              BranchId.of(id),
              branches.size(),
              "stock",
              "p",
              false,
              BranchStatus.REGISTERED,
              0,
              null));
    }
    assertThat(log.write(new LogUnit(new LogUnit.Insert(g, branches), List.of())).join())
        .isEqualTo(WriteResult.APPLIED);
    GlobalRecord inserted = log.load(gid).orElseThrow().global();
    assertThat(
            log.write(
                    new LogUnit(
                        new LogUnit.Cas(
                            inserted.status(), inserted.withStatus(GlobalStatus.BEGUN, T)),
                        List.of()))
                .join())
        .isEqualTo(WriteResult.APPLIED);
    return gid;
  }

  /** A bookkeeping update of a begun transaction carrying {@code writes}. */
  private LogUnit update(Gid gid, List<BranchWrite> writes) {
    GlobalRecord g = log.load(gid).orElseThrow().global();
    return new LogUnit(
        new LogUnit.Cas(GlobalStatus.BEGUN, g.withStatus(GlobalStatus.BEGUN, T)), writes);
  }

  private LogUnit failedCall(Gid gid, String branch, String operation, int n) {
    BranchRecord b =
        log.load(gid).orElseThrow().branches().stream()
            .filter(r -> r.branchId().value().equals(branch))
            .findFirst()
            .orElseThrow();
    String error = "HTTP 503 from stock, call " + n + " — unavailable ‘ü’";
    return update(
        gid,
        List.of(
            new LogUnit.UpdateBranch(b.status(), b.withFailure(error)),
            new LogUnit.RecordAttempt(
                new AttemptRecord(
                    gid,
                    BranchId.of(branch),
                    operation,
                    n,
                    T.plusSeconds(n),
                    Duration.ofMillis(12).plusNanos(345_000),
                    Outcome.FAILED,
                    503,
                    error))));
  }

  private static LogUnit.RecordAttempt attempt(
      Gid gid, String branch, String operation, int n, Outcome outcome) {
    return new LogUnit.RecordAttempt(
        new AttemptRecord(
            gid,
            BranchId.of(branch),
            operation,
            n,
            T.plusSeconds(n),
            Duration.ofMillis(1),
            outcome,
            outcome == Outcome.SUCCEEDED ? 200 : -1,
            outcome == Outcome.SUCCEEDED ? null : "boom"));
  }
}
