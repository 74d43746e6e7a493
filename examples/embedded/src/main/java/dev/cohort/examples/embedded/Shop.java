package dev.cohort.examples.embedded;

import dev.cohort.participant.Barrier;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The shop's own database: accounts, stock, shipments, and the participants' barrier table. */
final class Shop {
  static final String MERCHANT = "merchant";

  private final DataSource dataSource;
  private final Barrier barrier;

  Shop(Path file) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setBusyTimeout(10_000);
    SQLiteDataSource sqlite = new SQLiteDataSource(config);
    sqlite.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    this.dataSource = sqlite;
    this.barrier = Barrier.forDataSource(sqlite);
  }

  Barrier barrier() {
    return barrier;
  }

  void create(long aliceCents, int stock) throws SQLException {
    barrier.createSchema();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE account (name TEXT PRIMARY KEY, balance INTEGER NOT NULL,"
              + " frozen INTEGER NOT NULL)");
      s.execute(
          "CREATE TABLE stock (sku TEXT PRIMARY KEY, available INTEGER NOT NULL,"
              + " reserved INTEGER NOT NULL, sold INTEGER NOT NULL)");
      s.execute(
          "CREATE TABLE shipment (gid TEXT PRIMARY KEY, address TEXT NOT NULL,"
              + " status TEXT NOT NULL)");
      s.execute("INSERT INTO account VALUES ('alice', " + aliceCents + ", 0)");
      s.execute("INSERT INTO account VALUES ('" + MERCHANT + "', 0, 0)");
      s.execute("INSERT INTO stock VALUES ('sku-1', " + stock + ", 0, 0)");
    }
  }

  long balance(String account) throws SQLException {
    return queryLong("SELECT balance FROM account WHERE name = ?", account);
  }

  long frozen(String account) throws SQLException {
    return queryLong("SELECT frozen FROM account WHERE name = ?", account);
  }

  long totalMoney() throws SQLException {
    return queryLong("SELECT sum(balance) FROM account WHERE name <> ?", "");
  }

  long stock(String column, String sku) throws SQLException {
    if (!column.equals("available") && !column.equals("reserved") && !column.equals("sold")) {
      throw new IllegalArgumentException("no stock column " + column);
    }
    return queryLong("SELECT " + column + " FROM stock WHERE sku = ?", sku);
  }

  long shipments(String status) throws SQLException {
    return queryLong("SELECT count(*) FROM shipment WHERE status = ?", status);
  }

  private long queryLong(String sql, String arg) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, arg);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** Runs one statement on the barrier's connection and says how many rows it changed. */
  static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      return s.executeUpdate();
    }
  }
}
