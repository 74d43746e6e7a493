package dev.cohort.replica;

import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.awaitility.Awaitility;

class PostgresReadWriteSplittingIT extends ReadWriteSplittingContract {
  @Override
  DatabasePair openPair(TestServices services) {
    return services.postgres().isolated("rw_split_pg");
  }

  @Override
  void holdReplication() throws SQLException {
    try (Connection c = db.replica().getConnection();
        Statement s = c.createStatement()) {
      s.execute("SELECT pg_wal_replay_pause()");
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "paused".equals(replica("SELECT pg_get_wal_replay_pause_state()")));
  }

  @Override
  void releaseReplication() throws SQLException {
    try (Connection c = db.replica().getConnection();
        Statement s = c.createStatement()) {
      s.execute("SELECT pg_wal_replay_resume()");
    }
  }

  @Override
  String kindTag() {
    return "pg";
  }

  private String replica(String sql) throws SQLException {
    try (Connection c = db.replica().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
