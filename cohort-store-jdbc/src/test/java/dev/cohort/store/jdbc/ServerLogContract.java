package dev.cohort.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.IncrementalContract;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.LogUnit;
import dev.cohort.coordinator.spi.TransactionStore;
import dev.cohort.coordinator.spi.WriteResult;
import dev.cohort.jdbc.Database;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS cohort_branch");
      s.execute("DROP TABLE IF EXISTS cohort_global");
      s.execute("DROP TABLE IF EXISTS cohort_schema_version");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
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
