package dev.cohort.participant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The race on MariaDB in REPEATABLE READ, where gap locks make naive barriers deadlock. */
class MariaDbBarrierRaceIT extends ServerBarrierRaceContract {
  @Override
  DatabasePair database(TestServices services) {
    return services.mariadb();
  }

  @Override
  String isolation() {
    return "TRANSACTION_REPEATABLE_READ";
  }

  @Override
  String settingQuery() {
    return "SELECT @@SESSION.tx_isolation";
  }

  @Override
  String expectedSetting() {
    return "REPEATABLE-READ";
  }

  /**
   * Shows the race above has teeth: the same race with a locking read before the insert (look for
   * the try row FOR UPDATE, insert it when missing) deadlocks in REPEATABLE READ, because two
   * transactions both take the gap lock of the missing key and then each waits for the other's to
   * insert into it.
   */
  @Test
  void shouldShowThatALockingReadBeforeTheInsertDeadlocks() throws Exception {
    Barrier naive = Barrier.builder(pool).table("naive_barrier").build();
    naive.createSchema();
    AtomicInteger deadlocks = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 50; round++) {
        String gid = "naive-" + round;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
          futures.add(
              threads.submit(() -> {
                start.await();
                if (lockingReadThenInsert(gid)) {
                  deadlocks.incrementAndGet();
                }
                return null;
              }));
        }
        start.countDown();
        for (Future<?> f : futures) {
          f.get(1, TimeUnit.MINUTES);
        }
      }
    } finally {
      threads.shutdownNow();
    }
    System.out.printf(
        "naive locking-read-first barrier: %d deadlocks in 50 rounds%n", deadlocks.get());
    assertThat(deadlocks.get()).isPositive();
  }

  /** Returns whether the database chose this transaction as a deadlock victim. */
  private boolean lockingReadThenInsert(String gid) throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        boolean exists;
        try (PreparedStatement s =
            c.prepareStatement(
                "SELECT reason FROM naive_barrier WHERE gid = ? AND branch_id = 'b1'"
                    + " AND op = 'try' FOR UPDATE")) {
          s.setString(1, gid);
          try (ResultSet rs = s.executeQuery()) {
            exists = rs.next();
          }
        }
        if (!exists) {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO naive_barrier (gid, branch_id, op, reason, created_at)"
                      + " VALUES (?, 'b1', 'try', 'cancel', 0)")) {
            s.setString(1, gid);
            s.executeUpdate();
          }
        }
        c.commit();
        return false;
      } catch (SQLException e) {
        c.rollback();
        if (e.getErrorCode() == 1213) {
          return true;
        }
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }
}
