package dev.cohort.chaos.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.participant.Barrier;
import dev.cohort.participant.BarrierResult;
import dev.cohort.participant.BranchRequest;
import dev.cohort.participant.BranchSettler;
import dev.cohort.participant.HeldBranch;
import dev.cohort.participant.HeldBranchResolver;
import dev.cohort.participant.OutcomeSource;
import dev.cohort.participant.ParticipantEndpoint;
import dev.cohort.protocol.Operation;
import dev.cohort.protocol.v1.Credential;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The participant service of the sample system, run as its own process: an account (balance +
 * frozen) and a stock (available + frozen + shipped) in its own PostgreSQL schema, served as TCC
 * and saga branches through {@link ParticipantEndpoint} and the barrier, plus "plain" endpoints
 * that a purchase without a coordinator calls one after the other. Every business effect also
 * writes a ledger row in the same local transaction.
 *
 * <p>Fault switches (arguments): {@code --fail-stock-every N} answers 500 to every Nth stock call
 * without doing anything; {@code --error-after-first-cancel} applies a branch's first cancel and
 * then answers 500, so the coordinator sends it again; {@code --cancel-without-barrier} is the
 * deliberately broken participant: cancel runs its business change without the barrier.
 */
public final class SampleParticipant {
  static final String MERCHANT = "merchant";
  static final int CUSTOMERS = 10;
  static final int SKUS = 5;
  static final long OPENING_BALANCE = 1_000_000;
  static final long OPENING_STOCK = 1_000_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DataSource db;
  private final Barrier barrier;
  private final long failStockEvery;
  private final boolean errorAfterFirstCancel;
  private final boolean cancelWithoutBarrier;
  private final AtomicLong stockCalls = new AtomicLong();
  private final Set<String> erroredCancels = ConcurrentHashMap.newKeySet();

  private SampleParticipant(DataSource db, Map<String, String> args) {
    this.db = db;
    this.barrier = Barrier.forDataSource(db);
    this.failStockEvery = Long.parseLong(args.getOrDefault("fail-stock-every", "0"));
    this.errorAfterFirstCancel = args.containsKey("error-after-first-cancel");
    this.cancelWithoutBarrier = args.containsKey("cancel-without-barrier");
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = parse(argv);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args.get("url"));
    config.setUsername(args.get("user"));
    config.setPassword(args.get("password"));
    config.setMaximumPoolSize(12);
    HikariDataSource db = new HikariDataSource(config);
    SampleParticipant participant = new SampleParticipant(db, args);
    participant.createSchema();
    HttpServer server =
        HttpServer.create(
            new InetSocketAddress(
                InetAddress.getLoopbackAddress(), Integer.parseInt(args.get("port"))),
            0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    participant.mount(server);
    server.start();
    if (args.containsKey("coordinator")) {
      participant.resolveHeldTries(
          URI.create(args.get("coordinator")),
          args.get("reader-token"),
          Duration.ofMillis(Long.parseLong(args.getOrDefault("hold-threshold-ms", "12000"))));
    }
    System.out.println("sample participant listening on " + server.getAddress());
  }

  /**
   * Tries held longer than {@code threshold} are settled by asking the coordinator (with a reader
   * token, as presumed abort needs: an unknown gid is recorded rolled back) and applying the answer
   * through the barrier, as docs/participants.md describes.
   */
  private void resolveHeldTries(URI coordinator, String readerToken, Duration threshold) {
    HeldBranchResolver resolver =
        HeldBranchResolver.builder(
                this::heldTries,
                OutcomeSource.coordinator(
                    coordinator, Credential.bearer(readerToken), Duration.ofSeconds(5)),
                new BranchSettler() {
                  @Override
                  public BarrierResult confirm(HeldBranch b) throws Exception {
                    return settle(b, Operation.CONFIRM);
                  }

                  @Override
                  public BarrierResult cancel(HeldBranch b) throws Exception {
                    return settle(b, Operation.CANCEL);
                  }
                })
            .holdThreshold(threshold)
            .build();
    var unused =
        resolver.start(
            Executors.newSingleThreadScheduledExecutor(r -> {
              Thread t = new Thread(r, "held-branch-resolver");
              t.setDaemon(true);
              return t;
            }),
            Duration.ofSeconds(1));
  }

  /**
   * Tries whose branch has neither a confirm nor a cancel yet, held since before {@code cutoff}.
   */
  private List<HeldBranch> heldTries(Instant cutoff, int limit) {
    List<HeldBranch> held = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT t.gid, t.branch, t.payload, t.at FROM ledger t WHERE t.op = 'try'"
                    + " AND t.at < ? AND NOT EXISTS (SELECT 1 FROM ledger d WHERE d.gid = t.gid"
                    + " AND d.branch = t.branch AND d.op IN ('confirm', 'cancel'))"
                    + " ORDER BY t.at LIMIT ?")) {
      p.setObject(1, java.sql.Timestamp.from(cutoff));
      p.setInt(2, limit);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          held.add(
              new HeldBranch(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getTimestamp(4).toInstant()));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading held tries failed", e);
    }
    return held;
  }

  /** The endpoint's own confirm or release, through the barrier like the coordinator's call. */
  private BarrierResult settle(HeldBranch b, Operation op) throws Exception {
    String resource = b.branchId();
    return barrier.run(
        b.gid(),
        b.branchId(),
        op,
        c -> {
          BranchRequest r = new BranchRequest(c, b.gid(), b.branchId(), op, b.payload());
          if (op == Operation.CONFIRM) {
            confirm(r, resource);
          } else {
            release(r, resource);
          }
        });
  }

  private static Map<String, String> parse(String[] argv) {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i < argv.length; i++) {
      if (!argv[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name [value], got " + argv[i]);
      }
      String name = argv[i].substring(2);
      boolean valued = i + 1 < argv.length && !argv[i + 1].startsWith("--");
      args.put(name, valued ? argv[++i] : "true");
    }
    return args;
  }

  private void createSchema() throws SQLException {
    barrier.createSchema();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS accounts (id TEXT PRIMARY KEY, balance BIGINT NOT NULL,"
              + " frozen BIGINT NOT NULL)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS stock (sku TEXT PRIMARY KEY, available BIGINT NOT NULL,"
              + " frozen BIGINT NOT NULL, shipped BIGINT NOT NULL)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS ledger (id BIGSERIAL PRIMARY KEY, gid TEXT NOT NULL,"
              + " branch TEXT NOT NULL, op TEXT NOT NULL, payload TEXT,"
              + " at TIMESTAMPTZ NOT NULL DEFAULT now())");
      s.execute("INSERT INTO accounts VALUES ('" + MERCHANT + "', 0, 0) ON CONFLICT DO NOTHING");
      for (int i = 0; i < CUSTOMERS; i++) {
        s.execute(
            "INSERT INTO accounts VALUES ('c"
                + i
                + "', "
                + OPENING_BALANCE
                + ", 0) ON CONFLICT DO NOTHING");
      }
      for (int i = 0; i < SKUS; i++) {
        s.execute(
            "INSERT INTO stock VALUES ('s"
                + i
                + "', "
                + OPENING_STOCK
                + ", 0, 0) ON CONFLICT DO NOTHING");
      }
    }
  }

  private void mount(HttpServer server) {
    server.createContext("/health", exchange -> reply(exchange, 200, "{\"status\":\"up\"}"));
    ParticipantEndpoint tccAccount =
        ParticipantEndpoint.unsignedTcc(barrier)
            .onTry(r -> freeze(r, "account"))
            .onConfirm(r -> confirm(r, "account"))
            .onCancel(r -> release(r, "account"))
            .build();
    ParticipantEndpoint tccStock =
        ParticipantEndpoint.unsignedTcc(barrier)
            .onTry(r -> freeze(r, "stock"))
            .onConfirm(r -> confirm(r, "stock"))
            .onCancel(r -> release(r, "stock"))
            .build();
    ParticipantEndpoint sagaAccount =
        ParticipantEndpoint.unsignedSaga(barrier)
            .onAction(r -> take(r, "account", 1))
            .onCompensate(r -> take(r, "account", -1))
            .build();
    ParticipantEndpoint sagaStock =
        ParticipantEndpoint.unsignedSaga(barrier)
            .onAction(r -> take(r, "stock", 1))
            .onCompensate(r -> take(r, "stock", -1))
            .build();
    server.createContext("/tcc/account", exchange -> branch(exchange, tccAccount, "account"));
    server.createContext("/tcc/stock", exchange -> branch(exchange, tccStock, "stock"));
    server.createContext("/saga/account", exchange -> branch(exchange, sagaAccount, "account"));
    server.createContext("/saga/stock", exchange -> branch(exchange, sagaStock, "stock"));
    server.createContext("/plain/account", exchange -> plain(exchange, "account"));
    server.createContext("/plain/stock", exchange -> plain(exchange, "stock"));
  }

  // --- coordinator calls ---

  private void branch(HttpExchange exchange, ParticipantEndpoint endpoint, String resource)
      throws IOException {
    String op = exchange.getRequestHeaders().getFirst("Cohort-Op");
    String gid = exchange.getRequestHeaders().getFirst("Cohort-Gid");
    String branch = exchange.getRequestHeaders().getFirst("Cohort-Branch");
    byte[] body = read(exchange);
    boolean forward = "try".equals(op) || "action".equals(op);
    if (forward && "stock".equals(resource) && failNow()) {
      reply(exchange, 500, "{\"error\":\"fault\",\"message\":\"fail-stock-every\"}");
      return;
    }
    if ("cancel".equals(op) && cancelWithoutBarrier) {
      try (Connection c = db.getConnection()) {
        c.setAutoCommit(false);
        release(
            new BranchRequest(
                c, gid, branch, Operation.CANCEL, new String(body, StandardCharsets.UTF_8)),
            resource);
        c.commit();
      } catch (Exception e) {
        reply(exchange, 500, "{\"error\":\"internal\",\"message\":\"" + e + "\"}");
        return;
      }
      answerCancel(exchange, gid, branch, new ParticipantEndpoint.Response(200, "{}"));
      return;
    }
    ParticipantEndpoint.Response response =
        endpoint.handle(name -> exchange.getRequestHeaders().getFirst(name), body);
    if ("cancel".equals(op)) {
      answerCancel(exchange, gid, branch, response);
    } else {
      reply(exchange, response.status(), response.body());
    }
  }

  private void answerCancel(
      HttpExchange exchange, String gid, String branch, ParticipantEndpoint.Response done)
      throws IOException {
    if (errorAfterFirstCancel && done.status() == 200 && erroredCancels.add(gid + "/" + branch)) {
      // Applied, but the coordinator is told otherwise: it must send the cancel again.
      reply(exchange, 500, "{\"error\":\"fault\",\"message\":\"error-after-first-cancel\"}");
    } else {
      reply(exchange, done.status(), done.body());
    }
  }

  private boolean failNow() {
    return failStockEvery > 0 && stockCalls.incrementAndGet() % failStockEvery == 0;
  }

  private static void freeze(BranchRequest r, String resource) throws Exception {
    JsonNode p = JSON.readTree(r.body());
    int changed =
        resource.equals("account")
            ? update(
                r.connection(),
                "UPDATE accounts SET balance = balance - ?, frozen = frozen + ?"
                    + " WHERE id = ? AND balance >= ?",
                p.get("amount").asLong(),
                p.get("amount").asLong(),
                p.get("account").asText(),
                p.get("amount").asLong())
            : update(
                r.connection(),
                "UPDATE stock SET available = available - ?, frozen = frozen + ?"
                    + " WHERE sku = ? AND available >= ?",
                p.get("qty").asLong(),
                p.get("qty").asLong(),
                p.get("sku").asText(),
                p.get("qty").asLong());
    if (changed != 1) {
      throw new ParticipantRefusedException("not enough " + resource + " for " + r.gid());
    }
    // The try's row keeps the payload: the held-branch resolver cancels with it.
    update(
        r.connection(),
        "INSERT INTO ledger (gid, branch, op, payload) VALUES (?, ?, 'try', ?)",
        r.gid(),
        r.branchId(),
        r.body());
  }

  private static void confirm(BranchRequest r, String resource) throws Exception {
    JsonNode p = JSON.readTree(r.body());
    if (resource.equals("account")) {
      update(
          r.connection(),
          "UPDATE accounts SET frozen = frozen - ? WHERE id = ?",
          p.get("amount").asLong(),
          p.get("account").asText());
      update(
          r.connection(),
          "UPDATE accounts SET balance = balance + ? WHERE id = ?",
          p.get("amount").asLong(),
          MERCHANT);
    } else {
      update(
          r.connection(),
          "UPDATE stock SET frozen = frozen - ?, shipped = shipped + ? WHERE sku = ?",
          p.get("qty").asLong(),
          p.get("qty").asLong(),
          p.get("sku").asText());
    }
    ledger(r.connection(), r.gid(), r.branchId(), "confirm");
  }

  private static void release(BranchRequest r, String resource) throws Exception {
    JsonNode p = JSON.readTree(r.body());
    if (resource.equals("account")) {
      update(
          r.connection(),
          "UPDATE accounts SET frozen = frozen - ?, balance = balance + ? WHERE id = ?",
          p.get("amount").asLong(),
          p.get("amount").asLong(),
          p.get("account").asText());
    } else {
      update(
          r.connection(),
          "UPDATE stock SET frozen = frozen - ?, available = available + ? WHERE sku = ?",
          p.get("qty").asLong(),
          p.get("qty").asLong(),
          p.get("sku").asText());
    }
    ledger(r.connection(), r.gid(), r.branchId(), "cancel");
  }

  /** Saga action (sign 1) or compensation (sign -1): money to the merchant, stock shipped. */
  private static void take(BranchRequest r, String resource, int sign) throws Exception {
    JsonNode p = JSON.readTree(r.body());
    move(r.connection(), p, resource, sign);
    ledger(r.connection(), r.gid(), r.branchId(), sign > 0 ? "action" : "compensate");
  }

  private static void move(Connection c, JsonNode p, String resource, int sign)
      throws SQLException {
    if (resource.equals("account")) {
      long amount = sign * p.get("amount").asLong();
      if (update(
              c,
              "UPDATE accounts SET balance = balance - ? WHERE id = ? AND balance >= ?",
              amount,
              p.get("account").asText(),
              amount)
          != 1) {
        throw new ParticipantRefusedException("not enough money");
      }
      update(c, "UPDATE accounts SET balance = balance + ? WHERE id = ?", amount, MERCHANT);
    } else {
      long qty = sign * p.get("qty").asLong();
      if (update(
              c,
              "UPDATE stock SET available = available - ?, shipped = shipped + ?"
                  + " WHERE sku = ? AND available >= ?",
              qty,
              qty,
              p.get("sku").asText(),
              qty)
          != 1) {
        throw new ParticipantRefusedException("not enough stock");
      }
    }
  }

  // --- a purchase without a coordinator: each call is its own local transaction ---

  private void plain(HttpExchange exchange, String resource) throws IOException {
    byte[] body = read(exchange);
    if ("stock".equals(resource) && failNow()) {
      reply(exchange, 500, "{\"error\":\"fault\",\"message\":\"fail-stock-every\"}");
      return;
    }
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      JsonNode p = JSON.readTree(body);
      move(c, p, resource, 1);
      ledger(c, p.get("gid").asText(), resource, "action");
      c.commit();
      reply(exchange, 200, "{}");
    } catch (Exception e) {
      reply(exchange, 500, "{\"error\":\"internal\"}");
    }
  }

  // --- helpers ---

  private static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        p.setObject(i + 1, params[i]);
      }
      return p.executeUpdate();
    }
  }

  private static void ledger(Connection c, String gid, String branch, String op)
      throws SQLException {
    update(c, "INSERT INTO ledger (gid, branch, op) VALUES (?, ?, ?)", gid, branch, op);
  }

  private static byte[] read(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return in.readAllBytes();
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", ParticipantEndpoint.CONTENT_TYPE);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
