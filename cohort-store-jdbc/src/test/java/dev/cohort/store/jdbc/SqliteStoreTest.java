package dev.cohort.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.LogUnit;
import dev.cohort.coordinator.spi.StoreException;
import dev.cohort.coordinator.spi.WriteResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC log itself, on SQLite: group commit, guards, duplicates, schema versions. */
class SqliteStoreTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  private static LogUnit insert(Gid gid) {
    GlobalRecord g = GlobalRecord.planned(gid, Mode.TCC, false, T, "n", T, T);
    BranchRecord b =
        new BranchRecord(
            gid, BranchId.of("b1"), 0, "a", "payload", false, BranchStatus.REGISTERED, 0, null);
    return new LogUnit(new LogUnit.Insert(g, List.of(b)), List.of());
  }

  /** Holds SQLite's write lock so that the writer queues up everything submitted meanwhile. */
  private Connection holdWriteLock(Path file) throws Exception {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement s = c.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
    }
    return c;
  }

  private static void release(Connection lock) throws Exception {
    try (Statement s = lock.createStatement()) {
      s.execute("ROLLBACK");
    }
  }

  @Test
  void concurrentWritesShareOneCommit() throws Exception {
    Path file = dir.resolve("log.db");
    try (JdbcTransactionStore store = JdbcTransactionStore.sqlite(file)) {
      store.open();
      List<CompletableFuture<WriteResult>> results = new ArrayList<>();
      try (Connection lock = holdWriteLock(file)) {
        for (int i = 0; i < 50; i++) {
          results.add(store.write(insert(Gid.of("g" + i))));
        }
        release(lock);
      }
      for (CompletableFuture<WriteResult> r : results) {
        assertThat(r.join()).isEqualTo(WriteResult.APPLIED);
      }
      WriteStats stats = store.writeStats();
      assertThat(stats.units()).isEqualTo(50);
      // The first unit may have been taken alone before the lock was noticed; the rest share one.
      assertThat(stats.commits()).isLessThanOrEqualTo(2);
      assertThat(store.load(Gid.of("g49")).orElseThrow().branches()).hasSize(1);
    }
  }

  /**
   * Units handed over together go into one commit even when the writer is idle (submitted one by
   * one, the writer may wake on the first and commit it alone), and each keeps its own guard.
   */
  @Test
  void unitsWrittenTogetherShareOneCommitAndKeepTheirOwnGuards() {
    List<Integer> flushSizes = new ArrayList<>();
    try (JdbcTransactionStore store =
        JdbcTransactionStore.sqlite(
            dir.resolve("together.db"), (units, took) -> flushSizes.add(units))) {
      store.open();
      store.write(insert(Gid.of("old"))).join();
      GlobalRecord old = store.load(Gid.of("old")).orElseThrow().global();
      LogUnit stale =
          new LogUnit(
              new LogUnit.Cas(GlobalStatus.COMMITTING, old.withStatus(GlobalStatus.COMMITTED, T)),
              List.of());
      flushSizes.clear();
      for (int i = 0; i < 20; i++) {
        List<CompletableFuture<WriteResult>> r =
            store.writeTogether(List.of(insert(Gid.of("a" + i)), stale, insert(Gid.of("b" + i))));
        assertThat(r.stream().map(CompletableFuture::join))
            .containsExactly(WriteResult.APPLIED, WriteResult.CONFLICT, WriteResult.APPLIED);
      }
      assertThat(flushSizes).hasSize(20).containsOnly(3);
      assertThat(store.load(Gid.of("b19"))).isPresent();
      assertThat(store.load(Gid.of("old")).orElseThrow().global().status())
          .isEqualTo(GlobalStatus.BEGUN);
    }
  }

  @Test
  void aDuplicateGidFailsOnlyItsOwnUnit() throws Exception {
    Path file = dir.resolve("dup.db");
    try (JdbcTransactionStore store = JdbcTransactionStore.sqlite(file)) {
      store.open();
      store.write(insert(Gid.of("taken"))).join();
      CompletableFuture<WriteResult> before;
      CompletableFuture<WriteResult> duplicate;
      CompletableFuture<WriteResult> after;
      try (Connection lock = holdWriteLock(file)) {
        before = store.write(insert(Gid.of("fresh-1")));
        duplicate = store.write(insert(Gid.of("taken")));
        after = store.write(insert(Gid.of("fresh-2")));
        release(lock);
      }
      assertThat(before.join()).isEqualTo(WriteResult.APPLIED);
      assertThat(duplicate.join()).isEqualTo(WriteResult.DUPLICATE);
      assertThat(after.join()).isEqualTo(WriteResult.APPLIED);
    }
  }

  @Test
  void aMissedGuardWritesNothingOfItsUnit() {
    try (JdbcTransactionStore store = JdbcTransactionStore.sqlite(dir.resolve("cas.db"))) {
      store.open();
      Gid gid = Gid.of("g");
      store.write(insert(gid)).join();
      GlobalRecord current = store.load(gid).orElseThrow().global();
      BranchRecord branch = store.load(gid).orElseThrow().branches().getFirst();
      LogUnit stale =
          new LogUnit(
              new LogUnit.Cas(
                  GlobalStatus.COMMITTING, current.withStatus(GlobalStatus.COMMITTED, T)),
              List.of(
                  new LogUnit.UpdateBranch(
                      BranchStatus.REGISTERED, branch.withStatus(BranchStatus.CONFIRMED))));

      assertThat(store.write(stale).join()).isEqualTo(WriteResult.CONFLICT);

      assertThat(store.load(gid).orElseThrow().global().status()).isEqualTo(GlobalStatus.BEGUN);
      assertThat(store.branches(gid).getFirst().status()).isEqualTo(BranchStatus.REGISTERED);
    }
  }

  @Test
  void theSchemaIsCreatedOnceAndANewerOneIsRefused() throws Exception {
    Path file = dir.resolve("schema.db");
    try (JdbcTransactionStore store = JdbcTransactionStore.sqlite(file)) {
      store.open();
    }
    try (JdbcTransactionStore again = JdbcTransactionStore.sqlite(file)) {
      again.open(); // already at the current version: nothing to do
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO cohort_schema_version (version, applied_at) VALUES (99, 0)");
    }
    try (JdbcTransactionStore newer = JdbcTransactionStore.sqlite(file)) {
      assertThatThrownBy(newer::open)
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("version 99")
          .hasMessageContaining("knows versions up to 5");
    }
  }

  @Test
  void writingBeforeOpenSaysWhatToDo() {
    try (JdbcTransactionStore store = JdbcTransactionStore.sqlite(dir.resolve("closed.db"))) {
      assertThatThrownBy(() -> store.write(insert(Gid.of("x"))).join())
          .hasCauseInstanceOf(StoreException.class)
          .hasMessageContaining("not open");
    }
  }
}
