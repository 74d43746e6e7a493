package dev.cohort.replica;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The business code of the scenarios of seeds/000 (profile, orders, user + wallet, payment,
 * shipping history, lock table), written once against {@link Routing} so that the same code runs
 * under naive routing and under Cohort.
 */
final class Shop {
  private final Routing routing;

  Shop(Routing routing) {
    this.routing = routing;
  }

  static void createSchema(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE profile (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL)");
      s.execute(
          "CREATE TABLE orders (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL,"
              + " item VARCHAR(100) NOT NULL, status VARCHAR(20) NOT NULL)");
      s.execute(
          "CREATE TABLE order_history (order_id BIGINT NOT NULL, seq INT NOT NULL,"
              + " status VARCHAR(20) NOT NULL, PRIMARY KEY (order_id, seq))");
      s.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL)");
      s.execute("CREATE TABLE wallet (user_id BIGINT PRIMARY KEY, balance DECIMAL(12,2) NOT NULL)");
      s.execute("CREATE TABLE account (id BIGINT PRIMARY KEY, balance DECIMAL(12,2) NOT NULL)");
      s.execute(
          "CREATE TABLE payment (id BIGINT PRIMARY KEY, account_id BIGINT NOT NULL,"
              + " amount DECIMAL(12,2) NOT NULL)");
      s.execute(
          "CREATE TABLE lock_table (lock_key VARCHAR(100) PRIMARY KEY,"
              + " owner VARCHAR(100) NOT NULL)");
    }
  }

  // 1. profile
  void updateProfile(long id, String name) throws SQLException {
    update("UPDATE profile SET name = ? WHERE id = ?", name, id);
  }

  String profileName(long id) throws SQLException {
    return queryOne("SELECT name FROM profile WHERE id = ?", id).orElse(null);
  }

  // 2. orders
  void placeOrder(long orderId, long userId, String item) throws SQLException {
    update(
        "INSERT INTO orders (id, user_id, item, status) VALUES (?, ?, ?, 'PLACED')",
        orderId,
        userId,
        item);
  }

  List<Long> recentOrders(long userId) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Connection c = routing.forRead();
        PreparedStatement s =
            c.prepareStatement("SELECT id FROM orders WHERE user_id = ? ORDER BY id DESC")) {
      s.setLong(1, userId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
    }
    return ids;
  }

  // 3. user + wallet in one transaction
  void createUserWithWallet(long userId, String name) throws SQLException {
    try (Connection c = routing.forWrite()) {
      c.setAutoCommit(false);
      try (PreparedStatement u = c.prepareStatement("INSERT INTO users VALUES (?, ?)");
          PreparedStatement w = c.prepareStatement("INSERT INTO wallet VALUES (?, 0)")) {
        u.setLong(1, userId);
        u.setString(2, name);
        u.executeUpdate();
        w.setLong(1, userId);
        w.executeUpdate();
      }
      c.commit();
    }
  }

  /** Reads user and wallet in one read-only transaction: [user exists, wallet exists]. */
  boolean[] userAndWallet(long userId) throws SQLException {
    try (Connection c = routing.forRead()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      boolean user = exists(c, "SELECT 1 FROM users WHERE id = ?", userId);
      boolean wallet = exists(c, "SELECT 1 FROM wallet WHERE user_id = ?", userId);
      c.commit();
      return new boolean[] {user, wallet};
    }
  }

  // 4. payment
  void setBalance(long accountId, String balance) throws SQLException {
    update("UPDATE account SET balance = ? WHERE id = ?", new BigDecimal(balance), accountId);
  }

  BigDecimal balance(long accountId) throws SQLException {
    try (Connection c = routing.forRead();
        PreparedStatement s = c.prepareStatement("SELECT balance FROM account WHERE id = ?")) {
      s.setLong(1, accountId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getBigDecimal(1);
      }
    }
  }

  /**
   * Saves the payment, checks the balance (the critical query, forced to the primary with Cohort's
   * scope; naive routing cannot honour it) and deducts when it suffices. True when deducted.
   */
  boolean processPayment(long paymentId, long accountId, String amount) throws SQLException {
    BigDecimal value = new BigDecimal(amount);
    update("INSERT INTO payment VALUES (?, ?, ?)", paymentId, accountId, value);
    BigDecimal balance = Consistency.primary(() -> balance(accountId));
    if (balance.compareTo(value) >= 0) {
      update("UPDATE account SET balance = balance - ? WHERE id = ?", value, accountId);
      return true;
    }
    return false;
  }

  // a transfer: two rows in one transaction
  void transfer(long from, long to, String amount) throws SQLException {
    BigDecimal value = new BigDecimal(amount);
    try (Connection c = routing.forWrite()) {
      c.setAutoCommit(false);
      try (PreparedStatement s =
          c.prepareStatement("UPDATE account SET balance = balance + ? WHERE id = ?")) {
        s.setBigDecimal(1, value.negate());
        s.setLong(2, from);
        s.executeUpdate();
        s.setBigDecimal(1, value);
        s.setLong(2, to);
        s.executeUpdate();
      }
      c.commit();
    }
  }

  /**
   * Reads two balances, running {@code between} after the first read: as two separate reads, or in
   * one read-only transaction. Whole units: [first, second].
   */
  long[] twoBalances(long first, long second, boolean oneTransaction, Between between)
      throws Exception {
    if (!oneTransaction) {
      long a = balance(first).longValueExact();
      between.run();
      return new long[] {a, balance(second).longValueExact()};
    }
    try (Connection c = routing.forRead()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      long a = balanceIn(c, first);
      between.run();
      long b = balanceIn(c, second);
      c.commit();
      return new long[] {a, b};
    }
  }

  /** What happens between two reads (the replica applying a commit). */
  interface Between {
    void run() throws Exception;
  }

  private static long balanceIn(Connection c, long accountId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT balance FROM account WHERE id = ?")) {
      s.setLong(1, accountId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getBigDecimal(1).longValueExact();
      }
    }
  }

  // 5. shipping and status history
  void shipOrder(long orderId) throws SQLException {
    try (Connection c = routing.forWrite()) {
      c.setAutoCommit(false);
      try (PreparedStatement u = c.prepareStatement("UPDATE orders SET status = ? WHERE id = ?");
          PreparedStatement h =
              c.prepareStatement(
                  "INSERT INTO order_history (order_id, seq, status) SELECT ?,"
                      + " COALESCE(MAX(seq), 0) + 1, ? FROM order_history WHERE order_id = ?")) {
        u.setString(1, "SHIPPED");
        u.setLong(2, orderId);
        u.executeUpdate();
        h.setLong(1, orderId);
        h.setString(2, "SHIPPED");
        h.setLong(3, orderId);
        h.executeUpdate();
      }
      c.commit();
    }
  }

  List<String> statusHistory(long orderId) throws SQLException {
    List<String> history = new ArrayList<>();
    try (Connection c = routing.forRead();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT status FROM order_history WHERE order_id = ? ORDER BY seq")) {
      s.setLong(1, orderId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          history.add(rs.getString(1));
        }
      }
    }
    return history;
  }

  /** The seed's fulfilment check: true when it would send the shipping notification again. */
  boolean wouldNotifyAgain(long orderId) throws SQLException {
    List<String> history = statusHistory(orderId);
    return history.isEmpty() || !"SHIPPED".equals(history.get(history.size() - 1));
  }

  // 6. a lock table
  /** The seed's acquireLock: insert; on a duplicate, look the lock up and take it if absent. */
  boolean acquireLock(String key, String owner) throws SQLException {
    try {
      update("INSERT INTO lock_table (lock_key, owner) VALUES (?, ?)", key, owner);
      return true;
    } catch (SQLException e) {
      if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
        throw e;
      }
    }
    Optional<String> holder = lockOwner(key);
    if (holder.isEmpty()) {
      update("UPDATE lock_table SET owner = ? WHERE lock_key = ?", owner, key);
      return true;
    }
    return holder.get().equals(owner);
  }

  Optional<String> lockOwner(String key) throws SQLException {
    return queryOne("SELECT owner FROM lock_table WHERE lock_key = ?", key);
  }

  // helpers
  void update(String sql, Object... args) throws SQLException {
    try (Connection c = routing.forWrite();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      s.executeUpdate();
    }
  }

  private Optional<String> queryOne(String sql, Object arg) throws SQLException {
    try (Connection c = routing.forRead();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, arg);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private static boolean exists(Connection c, String sql, long id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }
}
