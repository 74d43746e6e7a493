package dev.cohort.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.IncrementalContract;
import dev.cohort.coordinator.TransactionQuery;
import dev.cohort.coordinator.spi.ActivityBucket;
import dev.cohort.coordinator.spi.AuditRecord;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.BranchSample;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.LogUnit;
import dev.cohort.coordinator.spi.TransactionStore;
import dev.cohort.coordinator.spi.WriteResult;
import dev.cohort.jdbc.Database;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The contract on a database server: one schema per class, emptied before each test. */
abstract class ServerLogContract extends IncrementalContract {
  static TestServices services;
  static DatabasePair db;

  abstract Database database();

  @Override
  protected TransactionStore freshStore() {
    DataSource ds = db.primary();
    LogTables.dropAll(ds);
    return JdbcTransactionStore.builder(ds, database()).build();
  }

  @Override
  protected TransactionStore reopenStore() {
    store.close();
    store = JdbcTransactionStore.builder(db.primary(), database()).build();
    return store;
  }

  @Test
  void guardsDuplicatesAndBranchWritesInOneBurst() {
    JdbcTransactionStore log = (JdbcTransactionStore) store;
    log.open();
    Gid g1 = Gid.random();
    Gid g2 = Gid.random();
    Gid g3 = Gid.random();
    assertThat(log.write(insert(g1)).join()).isEqualTo(WriteResult.APPLIED);
    assertThat(log.write(insert(g2)).join()).isEqualTo(WriteResult.APPLIED);
    GlobalRecord r1 = log.load(g1).orElseThrow().global();
    GlobalRecord r2 = log.load(g2).orElseThrow().global();
    BranchRecord b1 = log.branches(g1).getFirst();

    CompletableFuture<WriteResult> miss =
        log.write(
            new LogUnit(
                new LogUnit.Cas(
                    GlobalStatus.COMMITTING, r1.withStatus(GlobalStatus.COMMITTED, START)),
                List.of(
                    new LogUnit.UpdateBranch(
                        BranchStatus.REGISTERED, b1.withStatus(BranchStatus.CONFIRMED)))));
    CompletableFuture<WriteResult> hit =
        log.write(
            new LogUnit(
                new LogUnit.Cas(GlobalStatus.BEGUN, r2.withStatus(GlobalStatus.COMMITTING, START)),
                List.of(
                    new LogUnit.AdvanceBranches(
                        g2, BranchStatus.REGISTERED, BranchStatus.SUCCEEDED))));
    CompletableFuture<WriteResult> fresh = log.write(insert(g3));
    CompletableFuture<WriteResult> duplicate = log.write(insert(g1));

    assertThat(miss.join()).isEqualTo(WriteResult.CONFLICT);
    assertThat(hit.join()).isEqualTo(WriteResult.APPLIED);
    assertThat(fresh.join()).isEqualTo(WriteResult.APPLIED);
    assertThat(duplicate.join()).isEqualTo(WriteResult.DUPLICATE);
    assertThat(log.load(g1).orElseThrow().global().status()).isEqualTo(GlobalStatus.BEGUN);
    assertThat(log.branches(g1).getFirst().status()).isEqualTo(BranchStatus.REGISTERED);
    assertThat(log.load(g2).orElseThrow().global().status()).isEqualTo(GlobalStatus.COMMITTING);
    assertThat(log.branches(g2)).allMatch(b -> b.status() == BranchStatus.SUCCEEDED);
    assertThat(log.branches(g3)).hasSize(2);
  }

  @Test
  void keepsTheConsolesAuditTrailAndAggregates() {
    JdbcTransactionStore log = (JdbcTransactionStore) store;
    log.open();
    Gid g1 = Gid.of("console-1");
    Gid g2 = Gid.of("console-2");
    assertThat(log.write(insert(g1)).join()).isEqualTo(WriteResult.APPLIED);
    assertThat(log.write(insert(g2)).join()).isEqualTo(WriteResult.APPLIED);
    GlobalRecord r2 = log.load(g2).orElseThrow().global();
    BranchRecord b2 = log.branches(g2).getFirst();
    assertThat(
            log.write(
                    new LogUnit(
                        new LogUnit.Cas(
                            GlobalStatus.BEGUN,
                            r2.withStatus(GlobalStatus.FAILED, START.plusSeconds(1))),
                        List.of(
                            new LogUnit.UpdateBranch(
                                BranchStatus.REGISTERED,
                                b2.withFailure("HTTP 503 from stock: Timeout_100%")))))
                .join())
        .isEqualTo(WriteResult.APPLIED);

    log.appendAudit(
        new AuditRecord(START, "console tester", "resolve", g2, "by <hand>", "resolved"));
    log.appendAudit(new AuditRecord(START, "console tester", "retry", g2, null, "refused: x"));
    log.appendAudit(new AuditRecord(START, "console tester", "retry", g1, null, "committing"));
    assertThat(log.audit(g2, 10))
        .extracting(AuditRecord::action, AuditRecord::detail)
        .containsExactly(tuple("resolve", "by <hand>"), tuple("retry", null));
    assertThat(log.recentAudit(2)).extracting(AuditRecord::gid).containsExactly(g1, g2);

    assertThat(log.search(TransactionQuery.all(10).withError("timeout_100%")))
        .extracting(GlobalRecord::gid)
        .containsExactly(g2);
    assertThat(log.search(TransactionQuery.all(10).withError("timeout_1000"))).isEmpty();
    assertThat(log.search(TransactionQuery.all(10).withParticipant("A"))).hasSize(2);
    assertThat(log.search(TransactionQuery.all(10).withParticipant("zzz"))).isEmpty();

    assertThat(log.oldestUnfinished().orElseThrow().gid()).isEqualTo(g1);
    List<ActivityBucket> activity = log.activity(START.minusSeconds(60), Duration.ofMinutes(5));
    assertThat(activity)
        .extracting(ActivityBucket::start, ActivityBucket::status, ActivityBucket::count)
        .containsExactlyInAnyOrder(
            tuple(START.minusSeconds(60), GlobalStatus.BEGUN, 1L),
            tuple(START.minusSeconds(60), GlobalStatus.FAILED, 1L));
    assertThat(log.branchSample(START.minusSeconds(60), 10))
        .hasSize(4)
        .filteredOn(b -> b.lastError() != null)
        .singleElement()
        .extracting(BranchSample::attempts)
        .isEqualTo(1);
  }

  private static LogUnit insert(Gid gid) {
    GlobalRecord g = GlobalRecord.planned(gid, Mode.TCC, false, START, "n", START, START);
    List<BranchRecord> branches = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      branches.add(
          new BranchRecord(
              gid, BranchId.of("b" + i), i, "a", "p", false, BranchStatus.REGISTERED, 0, null));
    }
    return new LogUnit(new LogUnit.Insert(g, branches), List.of());
  }

  @AfterAll
  static void closeServices() {
    if (services != null) {
      services.close();
    }
  }
}
