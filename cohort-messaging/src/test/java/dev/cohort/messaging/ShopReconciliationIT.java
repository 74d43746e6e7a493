package dev.cohort.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.testing.time.MutableClock;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shop's reconciliation on real PostgreSQL: orders left PROCESSING for more than 30 minutes are
 * checked against inventory and payment, and each kind of stuck order gets its repair.
 */
class ShopReconciliationIT {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T12:00:00Z"));
  private final List<ReconciliationRecord> alerts = Collections.synchronizedList(new ArrayList<>());
  private TestServices services;
  private DatabasePair db;
  private DataSource ds;

  @BeforeEach
  void setUp() throws SQLException {
    services = TestServices.load();
    db = services.postgres().isolated("reconciliation_it");
    ds = db.primary();
    sql(
        "CREATE TABLE orders (id VARCHAR(32) PRIMARY KEY, status VARCHAR(16), sku VARCHAR(32),"
            + " created_at BIGINT)",
        "CREATE TABLE stock (sku VARCHAR(32) PRIMARY KEY, qty INT)",
        "CREATE TABLE deductions (order_id VARCHAR(32) PRIMARY KEY, sku VARCHAR(32))",
        "CREATE TABLE payments (order_id VARCHAR(32) PRIMARY KEY, status VARCHAR(16))",
        "CREATE TABLE refunds (order_id VARCHAR(32) PRIMARY KEY)",
        "CREATE TABLE coupons (order_id VARCHAR(32) PRIMARY KEY)",
        "CREATE TABLE notices (order_id VARCHAR(32), kind VARCHAR(32))",
        "INSERT INTO stock VALUES ('book', 10), ('lamp', 0)");
  }

  @AfterEach
  void tearDown() {
    db.close();
    services.close();
  }

  /** Runs the statements in one local transaction: a repair is all or nothing. */
  private void sql(String... statements) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        for (String q : statements) {
          s.execute(q);
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private void order(String id, String sku, Duration age, boolean deducted, String payment)
      throws SQLException {
    long created = clock.instant().minus(age).toEpochMilli();
    sql("INSERT INTO orders VALUES ('" + id + "', 'PROCESSING', '" + sku + "', " + created + ")");
    if (deducted) {
      sql(
          "INSERT INTO deductions VALUES ('" + id + "', '" + sku + "')",
          "UPDATE stock SET qty = qty - 1 WHERE sku = '" + sku + "'");
    }
    if (payment != null) {
      sql("INSERT INTO payments VALUES ('" + id + "', '" + payment + "')");
    }
  }

  private String one(String query) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** The seed's rules for an order stuck in PROCESSING, checked against inventory and payment. */
  private final class StuckOrders implements ReconciliationRule<String> {
    @Override
    public String name() {
      return "order-processing";
    }

    @Override
    public List<String> findStuck(Instant stuckSince) throws SQLException {
      List<String> ids = new ArrayList<>();
      try (Connection c = ds.getConnection();
          PreparedStatement s =
              c.prepareStatement(
                  "SELECT id FROM orders WHERE status = 'PROCESSING' AND created_at < ?"
                      + " ORDER BY created_at")) {
        s.setLong(1, stuckSince.toEpochMilli());
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
      }
      return ids;
    }

    @Override
    public String idOf(String orderId) {
      return orderId;
    }

    @Override
    public Repair decide(String id) throws SQLException {
      boolean deducted = one("SELECT 1 FROM deductions WHERE order_id = '" + id + "'") != null;
      String payment = one("SELECT status FROM payments WHERE order_id = '" + id + "'");
      if (deducted && "COMPLETED".equals(payment)) {
        return Repair.forward(
            "stock deducted and payment completed: order completed",
            () ->
                sql(
                    "UPDATE orders SET status = 'COMPLETED' WHERE id = '" + id + "'",
                    "INSERT INTO notices VALUES ('" + id + "', 'confirmation')"));
      }
      if (deducted && (payment == null || "FAILED".equals(payment))) {
        return Repair.backward(
            "stock deducted, payment " + (payment == null ? "missing" : "failed") + ": restocked",
            () ->
                sql(
                    "UPDATE stock SET qty = qty + 1 WHERE sku = (SELECT sku FROM deductions"
                        + " WHERE order_id = '"
                        + id
                        + "')",
                    "DELETE FROM deductions WHERE order_id = '" + id + "'",
                    "UPDATE orders SET status = 'PAYMENT_FAILED' WHERE id = '" + id + "'",
                    "INSERT INTO notices VALUES ('" + id + "', 'payment-failed')"));
      }
      if (!deducted && "COMPLETED".equals(payment)) {
        return Repair.alternative(
            "paid but nothing in stock: refunded, apology coupon sent",
            () ->
                sql(
                    "INSERT INTO refunds VALUES ('" + id + "')",
                    "INSERT INTO coupons VALUES ('" + id + "')",
                    "UPDATE orders SET status = 'REFUNDED' WHERE id = '" + id + "'",
                    "INSERT INTO notices VALUES ('" + id + "', 'apology')"));
      }
      return Repair.unfixable(
          "payment is '" + payment + "' and stock " + (deducted ? "deducted" : "not deducted"));
    }
  }

  @Test
  void eachKindOfStuckOrderIsRepairedJournaledOrAlerted() throws Exception {
    order("paid", "book", Duration.ofHours(1), true, "COMPLETED");
    order("unpaid", "book", Duration.ofHours(1), true, "FAILED");
    order("abandoned", "book", Duration.ofHours(2), true, null);
    order("soldout", "lamp", Duration.ofHours(1), false, "COMPLETED");
    order("pending", "book", Duration.ofHours(1), true, "PENDING");
    order("fresh", "book", Duration.ofMinutes(10), true, null); // not stuck yet
    Reconciler reconciler =
        Reconciler.builder(MessagingTables.of(ds).migrate())
            .rule(new StuckOrders(), Duration.ofMinutes(30))
            .clock(clock)
            .onAlert(alerts::add)
            .build();

    List<ReconciliationRecord> done = reconciler.runOnce();

    Map<String, RepairKind> byOrder = new TreeMap<>();
    done.forEach(r -> byOrder.put(r.entity(), r.kind()));
    assertThat(byOrder)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "paid", RepairKind.FORWARD,
                "unpaid", RepairKind.BACKWARD,
                "abandoned", RepairKind.BACKWARD,
                "soldout", RepairKind.ALTERNATIVE,
                "pending", RepairKind.UNFIXABLE));
    assertThat(one("SELECT status FROM orders WHERE id = 'paid'")).isEqualTo("COMPLETED");
    assertThat(one("SELECT status FROM orders WHERE id = 'unpaid'")).isEqualTo("PAYMENT_FAILED");
    assertThat(one("SELECT status FROM orders WHERE id = 'abandoned'")).isEqualTo("PAYMENT_FAILED");
    assertThat(one("SELECT status FROM orders WHERE id = 'soldout'")).isEqualTo("REFUNDED");
    assertThat(one("SELECT 1 FROM coupons WHERE order_id = 'soldout'")).isNotNull();
    assertThat(one("SELECT status FROM orders WHERE id = 'pending'")).isEqualTo("PROCESSING");
    assertThat(one("SELECT status FROM orders WHERE id = 'fresh'")).isEqualTo("PROCESSING");
    // 10 books, 5 deducted, 2 given back.
    assertThat(one("SELECT qty FROM stock WHERE sku = 'book'")).isEqualTo("7");
    assertThat(alerts).extracting(ReconciliationRecord::entity).containsExactly("pending");
    assertThat(reconciler.journal(10)).hasSize(5);

    // A second run finds only what it could not fix, and alerts on it again.
    assertThat(reconciler.runOnce())
        .extracting(ReconciliationRecord::entity)
        .containsExactly("pending");
    assertThat(alerts).hasSize(2);
  }

  @Test
  void aRepairThatThrowsIsJournaledAsFailedAlertedAndTriedAgain() throws Exception {
    order("paid", "book", Duration.ofHours(1), true, "COMPLETED");
    sql("ALTER TABLE notices ADD CONSTRAINT no_notices CHECK (kind <> 'confirmation')");
    Reconciler reconciler =
        Reconciler.builder(MessagingTables.of(ds).migrate())
            .rule(new StuckOrders(), Duration.ofMinutes(30))
            .clock(clock)
            .onAlert(alerts::add)
            .build();

    assertThat(reconciler.runOnce())
        .extracting(ReconciliationRecord::kind)
        .containsExactly(RepairKind.FAILED);
    assertThat(alerts.get(0).detail()).contains("threw");
    assertThat(one("SELECT status FROM orders WHERE id = 'paid'")).isEqualTo("PROCESSING");

    sql("ALTER TABLE notices DROP CONSTRAINT no_notices");
    assertThat(reconciler.runOnce())
        .extracting(ReconciliationRecord::kind)
        .containsExactly(RepairKind.FORWARD);
    assertThat(one("SELECT status FROM orders WHERE id = 'paid'")).isEqualTo("COMPLETED");
    assertThat(reconciler.journal(10))
        .extracting(ReconciliationRecord::kind)
        .containsExactly(RepairKind.FORWARD, RepairKind.FAILED);
  }
}
