package dev.cohort.messaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A producer's orders and a consumer's shipments in one PostgreSQL schema: the shipments table has
 * no unique key, so a message applied twice shows as two rows.
 */
final class ShopFixture {
  private final DataSource ds;
  final Outbox outbox;

  ShopFixture(DataSource ds, Outbox outbox) throws SQLException {
    this.ds = ds;
    this.outbox = outbox;
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id VARCHAR(64) PRIMARY KEY, status VARCHAR(16) NOT NULL)");
      s.execute("CREATE TABLE shipments (message_id VARCHAR(128) NOT NULL, order_id VARCHAR(64))");
    }
  }

  /** Places an order and writes its event in the same local transaction. */
  void placeOrder(String orderId, String destination) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement s = c.prepareStatement("INSERT INTO orders VALUES (?, 'placed')")) {
        s.setString(1, orderId);
        s.executeUpdate();
      }
      outbox.append(c, Message.of("evt-" + orderId, destination, orderId, "order.placed", orderId));
      c.commit();
    }
  }

  /** Appends {@code messages} to {@code outbox} in one local transaction of {@code ds}. */
  static void writeInOneTransaction(DataSource ds, Outbox outbox, Message... messages)
      throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      for (Message m : messages) {
        outbox.append(c, m);
      }
      c.commit();
    }
  }

  /**
   * The shipping consumer's inbox: {@code order.placed} ships, {@code order.json} refuses a payload
   * that is not JSON (so a poison message can be sent).
   */
  static Inbox shippingInbox(MessagingTables tables) {
    return Inbox.builder(tables, "shipping")
        .handler("order.placed", ShopFixture::ship)
        .handler(
            "order.json",
            (c, m) -> {
              if (!m.payload().startsWith("{")) {
                throw new UnprocessableMessageException("payload is not JSON");
              }
            })
        .build();
  }

  static void ship(Connection c, Message m) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO shipments VALUES (?, ?)")) {
      s.setString(1, m.id());
      s.setString(2, m.payload());
      s.executeUpdate();
    }
  }

  int shipments() throws SQLException {
    return count("SELECT COUNT(*) FROM shipments");
  }

  /** Message ids shipped more than once. */
  List<String> shippedTwice() throws SQLException {
    List<String> ids = new ArrayList<>();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT message_id FROM shipments GROUP BY message_id HAVING COUNT(*) > 1")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  int count(String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
