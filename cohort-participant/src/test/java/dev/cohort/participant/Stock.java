package dev.cohort.participant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.protocol.CallSignature;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A small stock service, the business side of the tests: a table of (sku, available, reserved) and
 * TCC / saga operations on it, served through {@link ParticipantEndpoint}s. Payloads look like
 * {@code {"sku": "A-1", "qty": 2}}.
 */
public final class Stock {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DataSource dataSource;
  private final Barrier barrier;

  public Stock(DataSource dataSource) throws SQLException {
    this.dataSource = dataSource;
    this.barrier = Barrier.forDataSource(dataSource);
    barrier.createSchema();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS stock (sku VARCHAR(32) PRIMARY KEY,"
              + " available INT NOT NULL, reserved INT NOT NULL)");
      s.execute("DELETE FROM stock");
      s.execute("DELETE FROM " + barrier.table());
    }
  }

  public Barrier barrier() {
    return barrier;
  }

  public static String payload(String sku, int qty) {
    return "{\"sku\":\"" + sku + "\",\"qty\":" + qty + "}";
  }

  public void put(String sku, int available) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement p =
            c.prepareStatement("INSERT INTO stock (sku, available, reserved) VALUES (?, ?, 0)")) {
      p.setString(1, sku);
      p.setInt(2, available);
      p.executeUpdate();
    }
  }

  public record Level(int available, int reserved) {}

  public Level level(String sku) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement p =
            c.prepareStatement("SELECT available, reserved FROM stock WHERE sku = ?")) {
      p.setString(1, sku);
      try (ResultSet r = p.executeQuery()) {
        if (!r.next()) {
          throw new IllegalStateException("no stock row " + sku);
        }
        return new Level(r.getInt(1), r.getInt(2));
      }
    }
  }

  public int barrierRows() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + barrier.table())) {
      r.next();
      return r.getInt(1);
    }
  }

  /** The barrier rows of one branch, as "op/reason" sorted by op. */
  public java.util.List<String> barrierRows(String gid, String branchId) throws SQLException {
    java.util.List<String> rows = new java.util.ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT op, reason FROM "
                    + barrier.table()
                    + " WHERE gid = ? AND branch_id = ? ORDER BY op")) {
      p.setString(1, gid);
      p.setString(2, branchId);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          rows.add(r.getString(1) + "/" + r.getString(2));
        }
      }
    }
    return rows;
  }

  public ParticipantEndpoint.TccBuilder tcc(CallSignature verifier) {
    ParticipantEndpoint.TccBuilder b =
        verifier == null
            ? ParticipantEndpoint.unsignedTcc(barrier)
            : ParticipantEndpoint.tcc(barrier, verifier);
    return b.onTry(Stock::reserve).onConfirm(Stock::take).onCancel(Stock::release);
  }

  public ParticipantEndpoint.SagaBuilder saga(CallSignature verifier) {
    ParticipantEndpoint.SagaBuilder b =
        verifier == null
            ? ParticipantEndpoint.unsignedSaga(barrier)
            : ParticipantEndpoint.saga(barrier, verifier);
    return b.onAction(Stock::sell).onCompensate(Stock::restock);
  }

  public static void reserve(BranchRequest r) throws Exception {
    change(r, "available = available - ?, reserved = reserved + ?", true);
  }

  public static void take(BranchRequest r) throws Exception {
    change(r, "reserved = reserved - ?", false);
  }

  public static void release(BranchRequest r) throws Exception {
    change(r, "available = available + ?, reserved = reserved - ?", false);
  }

  public static void sell(BranchRequest r) throws Exception {
    change(r, "available = available - ?", true);
  }

  public static void restock(BranchRequest r) throws Exception {
    change(r, "available = available + ?", false);
  }

  private static void change(BranchRequest r, String set, boolean needsStock) throws Exception {
    JsonNode order = JSON.readTree(r.body());
    String sku = order.path("sku").asText();
    int qty = order.path("qty").asInt();
    int params = set.split("\\?", -1).length - 1;
    String sql =
        "UPDATE stock SET " + set + " WHERE sku = ?" + (needsStock ? " AND available >= ?" : "");
    try (PreparedStatement p = r.connection().prepareStatement(sql)) {
      int i = 1;
      for (; i <= params; i++) {
        p.setInt(i, qty);
      }
      p.setString(i++, sku);
      if (needsStock) {
        p.setInt(i, qty);
      }
      if (p.executeUpdate() == 0) {
        throw new ParticipantRefusedException("out of stock: " + sku + " x" + qty);
      }
    }
  }
}
