package dev.cohort.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MariaDbReplicationIT {
  private static TestServices services;
  private static DatabasePair db;

  @BeforeAll
  static void open() {
    services = TestServices.load();
    db = services.mariadb().isolated("smoke_maria");
  }

  @AfterAll
  static void close() {
    if (services != null) {
      services.close();
    }
  }

  @Test
  void binlogIsRowBasedAndReplicaIsReadOnly() throws SQLException {
    assertThat(query(db.primary(), "SELECT @@binlog_format")).isEqualTo("ROW");
    assertThat(query(db.replica(), "SELECT @@read_only")).isEqualTo("1");
  }

  @Test
  void xaBranchPreparedOnOneConnectionIsRecoveredAndCommittedFromAnother() throws SQLException {
    execute("CREATE TABLE IF NOT EXISTS smoke_xa (id INT PRIMARY KEY) ENGINE=InnoDB");
    execute("DELETE FROM smoke_xa");
    String xid = "cohort-smoke-" + UUID.randomUUID();
    // A plain connection, closed after PREPARE: the branch must outlive the session that made it.
    try (Connection c = DriverManager.getConnection(db.primaryUrl(), db.user(), db.password());
        Statement s = c.createStatement()) {
      s.execute("XA START '" + xid + "'");
      s.execute("INSERT INTO smoke_xa VALUES (7)");
      s.execute("XA END '" + xid + "'");
      s.execute("XA PREPARE '" + xid + "'");
    }
    List<String> recovered = new ArrayList<>();
    try (Connection c = db.primary().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("XA RECOVER")) {
      while (rs.next()) {
        recovered.add(rs.getString("data"));
      }
    }
    assertThat(recovered).contains(xid);
    assertThat(query(db.primary(), "SELECT count(*) FROM smoke_xa")).isEqualTo("0");

    execute("XA COMMIT '" + xid + "'");
    assertThat(query(db.primary(), "SELECT count(*) FROM smoke_xa")).isEqualTo("1");
  }

  @Test
  void replicaWaitsForAGtidThenServesTheWrite() throws SQLException {
    execute("CREATE TABLE IF NOT EXISTS smoke (id INT PRIMARY KEY, note VARCHAR(100))");
    execute("DELETE FROM smoke");
    db.awaitReplicaCaughtUp(Duration.ofSeconds(30));

    // Hold the replica's SQL thread so the lag is certain.
    replicaSqlThread(false);
    String gtid;
    try {
      try (Connection c = db.primary().getConnection();
          Statement s = c.createStatement()) {
        s.execute("INSERT INTO smoke VALUES (1, 'written on the primary')");
        try (ResultSet rs = s.executeQuery("SELECT @@last_gtid")) {
          rs.next();
          gtid = rs.getString(1);
        }
      }
      assertThat(gtid).matches("\\d+-\\d+-\\d+");
      assertThat(gtidWait(gtid, 0.05)).isEqualTo(-1);
      assertThat(query(db.replica(), "SELECT count(*) FROM smoke")).isEqualTo("0");
    } finally {
      replicaSqlThread(true);
    }

    assertThat(gtidWait(gtid, 30)).isZero();
    assertThat(query(db.replica(), "SELECT note FROM smoke WHERE id = 1"))
        .isEqualTo("written on the primary");
  }

  private static int gtidWait(String gtid, double seconds) throws SQLException {
    try (Connection c = db.replica().getConnection();
        PreparedStatement s = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
      s.setString(1, gtid);
      s.setDouble(2, seconds);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static void replicaSqlThread(boolean run) throws SQLException {
    try (Connection c = db.replica().getConnection();
        Statement s = c.createStatement()) {
      s.execute(run ? "START SLAVE SQL_THREAD" : "STOP SLAVE SQL_THREAD");
    }
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = db.primary().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String query(javax.sql.DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
