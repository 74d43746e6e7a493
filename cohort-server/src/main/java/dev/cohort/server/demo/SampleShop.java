package dev.cohort.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.participant.Barrier;
import dev.cohort.participant.BranchRequest;
import dev.cohort.participant.ParticipantEndpoint;
import dev.cohort.protocol.CallSignature;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The demo's built-in participants: an account service (TCC: freeze, debit, unfreeze) and a stock
 * service (TCC: reserve, take, release) and a shipping step (saga: ship, cancel shipment), each a
 * {@link ParticipantEndpoint} over its own SQLite tables with the barrier, served by the JDK's HTTP
 * server on a free loopback port. They verify the coordinator's signature on every call.
 */
public final class SampleShop implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SQLiteDataSource db;
  private final HttpServer http;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  private SampleShop(SQLiteDataSource db, HttpServer http) {
    this.db = db;
    this.http = http;
  }

  /** Creates the shop's database in {@code file} (alice: 100.00, bob: 5.00; 3 books) and serves. */
  public static SampleShop start(Path file, CallSignature verifier) throws IOException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setBusyTimeout(10_000);
    SQLiteDataSource db = new SQLiteDataSource(config);
    db.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE account (id TEXT PRIMARY KEY, balance INTEGER NOT NULL,"
              + " frozen INTEGER NOT NULL)");
      s.execute(
          "CREATE TABLE stock (sku TEXT PRIMARY KEY, available INTEGER NOT NULL,"
              + " reserved INTEGER NOT NULL)");
      s.execute("CREATE TABLE shipment (gid TEXT PRIMARY KEY, status TEXT NOT NULL)");
      s.execute("INSERT INTO account VALUES ('alice', 10000, 0), ('bob', 500, 0)");
      s.execute("INSERT INTO stock VALUES ('book', 3, 0)");
    } catch (SQLException e) {
      throw new IOException("could not create the sample shop's database in " + file, e);
    }
    Barrier barrier = Barrier.forDataSource(db);
    barrier.createSchema();

    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    SampleShop shop = new SampleShop(db, http);
    http.setExecutor(shop.executor);
    http.createContext(
        "/account",
        ParticipantEndpoint.tcc(barrier, verifier)
            .onTry(r ->
                update(
                    r,
                    "UPDATE account SET frozen = frozen + ?2 WHERE id = ?1"
                        + " AND balance - frozen >= ?2",
                    "insufficient funds in account "))
            .onConfirm(r ->
                update(
                    r,
                    "UPDATE account SET balance = balance - ?2,"
                        + " frozen = frozen - ?2 WHERE id = ?1",
                    null))
            .onCancel(r -> update(r, "UPDATE account SET frozen = frozen - ?2 WHERE id = ?1", null))
            .build()
            .jdkHandler());
    http.createContext(
        "/stock",
        ParticipantEndpoint.tcc(barrier, verifier)
            .onTry(r ->
                update(
                    r,
                    "UPDATE stock SET reserved = reserved + ?2 WHERE sku = ?1"
                        + " AND available - reserved >= ?2",
                    "out of stock: "))
            .onConfirm(r ->
                update(
                    r,
                    "UPDATE stock SET available = available - ?2,"
                        + " reserved = reserved - ?2 WHERE sku = ?1",
                    null))
            .onCancel(
                r -> update(r, "UPDATE stock SET reserved = reserved - ?2 WHERE sku = ?1", null))
            .build()
            .jdkHandler());
    http.createContext(
        "/shipping",
        ParticipantEndpoint.saga(barrier, verifier)
            .onAction(SampleShop::ship)
            .onCompensate(r -> {
              try (PreparedStatement p =
                  r.connection()
                      .prepareStatement("UPDATE shipment SET status = 'cancelled' WHERE gid = ?")) {
                p.setString(1, r.gid());
                p.executeUpdate();
              }
            })
            .build()
            .jdkHandler());
    http.start();
    return shop;
  }

  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + path);
  }

  /**
   * Applies {@code sql} with the payload's key (?1) and amount (?2); with {@code refusal}, no row
   * changed means the business said no.
   */
  private static void update(BranchRequest r, String sql, String refusal) throws Exception {
    JsonNode body = JSON.readTree(r.body());
    String key = body.path("key").asText();
    long amount = body.path("amount").asLong();
    try (PreparedStatement p = r.connection().prepareStatement(sql)) {
      p.setString(1, key);
      p.setLong(2, amount);
      if (p.executeUpdate() == 0 && refusal != null) {
        throw new ParticipantRefusedException(refusal + key);
      }
    }
  }

  private static void ship(BranchRequest r) throws Exception {
    JsonNode body = JSON.readTree(r.body());
    if (body.path("address").asText("").isBlank()) {
      throw new ParticipantRefusedException("no courier delivers to an empty address");
    }
    try (PreparedStatement p =
        r.connection().prepareStatement("INSERT INTO shipment VALUES (?, 'shipped')")) {
      p.setString(1, r.gid());
      p.executeUpdate();
    }
  }

  /** One line per row of the shop's tables, for the demo's closing check. */
  public String describe() throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT id, balance, frozen FROM account ORDER BY id")) {
        while (rs.next()) {
          out.append(
              String.format(
                  java.util.Locale.ROOT,
                  "  account %-5s balance %6.2f  frozen %5.2f%n",
                  rs.getString(1),
                  rs.getLong(2) / 100.0,
                  rs.getLong(3) / 100.0));
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT sku, available, reserved FROM stock")) {
        while (rs.next()) {
          out.append(
              String.format(
                  java.util.Locale.ROOT,
                  "  stock   %-5s available %d  reserved %d%n",
                  rs.getString(1),
                  rs.getLong(2),
                  rs.getLong(3)));
        }
      }
    }
    return out.toString();
  }

  /** Frozen money and reserved stock must both be back to zero once every transaction ended. */
  public boolean nothingLeftHeld() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT COALESCE(SUM(frozen), 0) FROM account)"
                    + " + (SELECT COALESCE(SUM(reserved), 0) FROM stock)")) {
      rs.next();
      return rs.getLong(1) == 0;
    }
  }

  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
  }
}
