package dev.cohort.participant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.protocol.Operation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Races a try against two deliveries of its cancel, for many gids at once, and checks the
 * invariant: the business effect is applied at most once, and never after its cancel.
 *
 * <p>The business: try inserts a reservation (and every fifth try then fails, rolling it back);
 * cancel releases the reservation and records how many it released. A try applied twice, or a
 * cancel applied twice, breaks a primary key and fails the test; a try applied after its cancel
 * leaves a reservation nobody released.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BarrierRaceContract {
  static final int ROUNDS = 200;
  static final int GIDS_PER_ROUND = 4;
  static final int CALLS_PER_GID = 3; // try, cancel, the cancel delivered again
  static final int THREADS = GIDS_PER_ROUND * CALLS_PER_GID;

  DataSource pool;

  /** A DataSource of at least {@code size} connections on an empty database of its own. */
  abstract DataSource openPool(int size) throws Exception;

  abstract void closePool() throws Exception;

  /** A query answering the setting the race must run under (e.g. the isolation level). */
  abstract String settingQuery();

  abstract String expectedSetting();

  @BeforeAll
  void open() throws Exception {
    pool = openPool(THREADS);
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE reservation (gid VARCHAR(64) PRIMARY KEY, status VARCHAR(16) NOT NULL)");
      s.execute("CREATE TABLE cancel_effect (gid VARCHAR(64) PRIMARY KEY, released INT NOT NULL)");
    }
  }

  @AfterAll
  void close() throws Exception {
    closePool();
  }

  @Test
  void shouldApplyTheTryAtMostOnceAndNeverAfterItsCancel() throws Exception {
    assertThat(sessionSetting()).isEqualTo(expectedSetting());
    Barrier barrier = Barrier.builder(pool).build();
    barrier.createSchema();

    Map<String, Object> tries = new ConcurrentHashMap<>();
    Map<String, List<BarrierResult>> cancels = new ConcurrentHashMap<>();
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Void>> calls = new ArrayList<>();
        for (int g = 0; g < GIDS_PER_ROUND; g++) {
          String gid = "race-" + round + "-" + g;
          boolean tryFails = (round * GIDS_PER_ROUND + g) % 5 == 0;
          cancels.put(gid, Collections.synchronizedList(new ArrayList<>()));
          calls.add(() -> {
            start.await();
            try {
              tries.put(gid, barrier.run(gid, "b1", Operation.TRY, c -> reserve(c, gid, tryFails)));
            } catch (OutOfStock e) {
              tries.put(gid, e);
            }
            return null;
          });
          for (int k = 1; k < CALLS_PER_GID; k++) {
            calls.add(() -> {
              start.await();
              cancels.get(gid).add(barrier.run(gid, "b1", Operation.CANCEL, c -> release(c, gid)));
              return null;
            });
          }
        }
        Collections.shuffle(calls);
        List<Future<Void>> futures = new ArrayList<>();
        for (Callable<Void> call : calls) {
          futures.add(threads.submit(call));
        }
        start.countDown();
        for (Future<Void> f : futures) {
          f.get(2, TimeUnit.MINUTES); // any escaping exception (deadlock, conflict) fails here
        }
      }
    } finally {
      threads.shutdownNow();
    }

    Map<String, String> reservations = column("SELECT gid, status FROM reservation");
    Map<String, String> released = column("SELECT gid, released FROM cancel_effect");
    Map<BarrierResult, Integer> tryCounts = new EnumMap<>(BarrierResult.class);
    Map<BarrierResult, Integer> cancelCounts = new EnumMap<>(BarrierResult.class);
    int tryFailures = 0;
    for (String gid : cancels.keySet()) {
      Object tried = tries.get(gid);
      List<BarrierResult> cancelled = cancels.get(gid);
      cancelled.forEach(r -> cancelCounts.merge(r, 1, Integer::sum));
      if (tried == BarrierResult.APPLIED) {
        tryCounts.merge(BarrierResult.APPLIED, 1, Integer::sum);
        assertThat(reservations.get(gid))
            .as(gid + ": reserved, then released")
            .isEqualTo("RELEASED");
        assertThat(released.get(gid)).as(gid + ": the cancel found the reservation").isEqualTo("1");
        assertThat(cancelled)
            .as(gid)
            .containsExactlyInAnyOrder(BarrierResult.APPLIED, BarrierResult.DUPLICATE_SKIPPED);
      } else {
        if (tried instanceof OutOfStock) {
          tryFailures++;
        } else {
          assertThat(tried).as(gid).isEqualTo(BarrierResult.REFUSED_AFTER_CANCEL);
          tryCounts.merge(BarrierResult.REFUSED_AFTER_CANCEL, 1, Integer::sum);
        }
        assertThat(reservations).as(gid + ": no reservation without a try").doesNotContainKey(gid);
        assertThat(released)
            .as(gid + ": an empty rollback runs no business")
            .doesNotContainKey(gid);
        assertThat(cancelled)
            .as(gid)
            .containsExactlyInAnyOrder(
                BarrierResult.EMPTY_ROLLBACK, BarrierResult.DUPLICATE_SKIPPED);
      }
    }
    assertThat(reservations.values()).as("nothing stays reserved").containsOnly("RELEASED");
    System.out.printf(
        "%s race (%s): %d rounds x %d threads, %d gids; try %s, failed try %d; cancel %s;"
            + " conflict retries %d%n",
        barrier.database(),
        expectedSetting(),
        ROUNDS,
        THREADS,
        cancels.size(),
        tryCounts,
        tryFailures,
        cancelCounts,
        barrier.conflictRetries());
    assertThat(tryCounts.getOrDefault(BarrierResult.APPLIED, 0))
        .as("the race went both ways: some tries won")
        .isPositive();
    assertThat(tryCounts.getOrDefault(BarrierResult.REFUSED_AFTER_CANCEL, 0))
        .as("the race went both ways: some cancels won")
        .isPositive();
  }

  private static void reserve(Connection c, String gid, boolean fails) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("INSERT INTO reservation (gid, status) VALUES (?, 'RESERVED')")) {
      s.setString(1, gid);
      s.executeUpdate();
    }
    if (fails) {
      throw new OutOfStock(gid);
    }
  }

  private static void release(Connection c, String gid) throws SQLException {
    int released;
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE reservation SET status = 'RELEASED' WHERE gid = ? AND status = 'RESERVED'")) {
      s.setString(1, gid);
      released = s.executeUpdate();
    }
    try (PreparedStatement s =
        c.prepareStatement("INSERT INTO cancel_effect (gid, released) VALUES (?, ?)")) {
      s.setString(1, gid);
      s.setInt(2, released);
      s.executeUpdate();
    }
  }

  private String sessionSetting() throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(settingQuery())) {
      rs.next();
      return rs.getString(1);
    }
  }

  private Map<String, String> column(String sql) throws SQLException {
    Map<String, String> values = new HashMap<>();
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.put(rs.getString(1), rs.getString(2));
      }
    }
    return values;
  }

  /** The business refusing a try after it wrote something, so the rollback matters. */
  static final class OutOfStock extends RuntimeException {
    OutOfStock(String gid) {
      super("out of stock for " + gid);
    }
  }
}
