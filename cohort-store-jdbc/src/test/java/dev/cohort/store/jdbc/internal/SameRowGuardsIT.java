package dev.cohort.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.LogUnit;
import dev.cohort.coordinator.spi.WriteResult;
import dev.cohort.jdbc.Database;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two compare-and-sets on one transaction in one group commit (a registration and a commit racing
 * on the same gid) must behave as if written one after the other: the first applies, the second
 * sees the first's change and misses. One multi-row UPDATE would change the row once and report
 * both as applied, so the writer must not use it for them.
 */
class SameRowGuardsIT {
  @Test
  void twoGuardsOnOneTransactionInOneBatchSeeEachOther() throws Exception {
    DatabasePair db = TestServices.load().postgres().isolated("same_row_guards");
    try (JdbcTransactionStore store =
        JdbcTransactionStore.builder(db.primary(), Database.POSTGRESQL).build()) {
      store.open();
      Instant t = Instant.parse("2026-11-21T12:00:00Z");
      Gid gid = Gid.of("same-row");
      GlobalRecord open = GlobalRecord.opened(gid, Mode.TCC, "n", t, 0, t);
      store.write(new LogUnit(new LogUnit.Insert(open, List.of()), List.of())).join();
      LogUnit register =
          new LogUnit(new LogUnit.Cas(GlobalStatus.OPEN, open.withSchedule(t, t, 1), 0), List.of());
      LogUnit commit =
          new LogUnit(
              new LogUnit.Cas(GlobalStatus.OPEN, open.withStatus(GlobalStatus.COMMITTED, t), 0),
              List.of());

      WriteResult[] results;
      try (Connection c = db.primary().getConnection()) {
        c.setAutoCommit(false);
        results =
            new UnitWriter(
                    new Dialect(Database.POSTGRESQL),
                    new AttemptHistory(new Dialect(Database.POSTGRESQL), 10))
                .write(c, List.of(register, commit));
        c.commit();
      }

      assertThat(results).containsExactly(WriteResult.APPLIED, WriteResult.CONFLICT);
      GlobalRecord stored = store.load(gid).orElseThrow().global();
      assertThat(stored.status()).isEqualTo(GlobalStatus.OPEN);
      assertThat(stored.attempts()).isEqualTo(1);
    }
  }
}
