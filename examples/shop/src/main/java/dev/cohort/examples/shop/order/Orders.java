package dev.cohort.examples.shop.order;

import dev.cohort.examples.shop.common.Json;
import dev.cohort.examples.shop.common.Purchase;
import dev.cohort.examples.shop.common.Reservations;
import dev.cohort.examples.shop.common.StatusColumn;
import dev.cohort.examples.shop.common.TransitionLog;
import dev.cohort.spring.BranchCall;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/** The order rows, with their status changed only through {@link StatusColumn}. */
public final class Orders {
  static final String DDL =
      "CREATE TABLE IF NOT EXISTS shop_order (id VARCHAR(64) PRIMARY KEY, account VARCHAR(32) NOT"
          + " NULL, item VARCHAR(32) NOT NULL, quantity INT NOT NULL, amount BIGINT NOT NULL,"
          + " points BIGINT NOT NULL, mode VARCHAR(8) NOT NULL, status VARCHAR(16) NOT NULL)";

  private final JdbcTemplate jdbc;
  private final Reservations reservations;
  private final StatusColumn<OrderStatus> status;

  Orders(JdbcTemplate jdbc, Reservations reservations, TransitionLog log) {
    this.jdbc = jdbc;
    this.reservations = reservations;
    this.status = new StatusColumn<>(jdbc, log, "shop_order", "id = ?", OrderStatus.class);
  }

  void create(Purchase p, String mode) {
    jdbc.update(
        "INSERT INTO shop_order (id, account, item, quantity, amount, points, mode, status) VALUES"
            + " (?, ?, ?, ?, ?, ?, ?, ?)",
        p.orderId(),
        p.account(),
        p.item(),
        p.quantity(),
        p.amount(),
        p.points(),
        mode,
        status.initial(OrderStatus.PAYING));
  }

  void paid(String orderId) {
    status.move(OrderStatus.PAYING, OrderStatus.PAID, orderId);
  }

  void cancelled(String orderId) {
    status.move(OrderStatus.PAYING, OrderStatus.CANCELLED, orderId);
  }

  /** The order's status, or null when there is no such order. */
  OrderStatus status(String orderId) {
    return status.current(orderId);
  }

  // TCC: the try writes the order PAYING, the confirm pays it, the cancel cancels it.

  void tryCreate(Purchase p, BranchCall call) {
    create(p, "tcc");
    reservations.hold(call.gid(), call.branchId(), Json.write(p));
  }

  void confirmPaid(Purchase p, BranchCall call) {
    paid(p.orderId());
    reservations.confirm(call.gid(), call.branchId());
  }

  void cancel(Purchase p, BranchCall call) {
    cancelled(p.orderId());
    reservations.cancel(call.gid(), call.branchId());
  }

  Map<String, Object> totals() {
    Map<String, Object> byStatus = new LinkedHashMap<>();
    for (OrderStatus s : OrderStatus.values()) {
      byStatus.put(s.name(), 0L);
    }
    jdbc.query(
        "SELECT status, COUNT(*) FROM shop_order GROUP BY status",
        rs -> {
          byStatus.put(rs.getString(1), rs.getLong(2));
        });
    Map<String, Object> paid =
        jdbc.queryForMap(
            "SELECT COALESCE(SUM(amount), 0) AS amount, COALESCE(SUM(quantity), 0) AS quantity,"
                + " COALESCE(SUM(points), 0) AS points FROM shop_order WHERE status = ?",
            OrderStatus.PAID.name());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("orders", byStatus);
    out.put("paidAmount", ((Number) paid.get("amount")).longValue());
    out.put("paidQuantity", ((Number) paid.get("quantity")).longValue());
    out.put("paidPoints", ((Number) paid.get("points")).longValue());
    out.put("reservationsHeld", reservations.held());
    return out;
  }
}
