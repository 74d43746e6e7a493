package dev.cohort.bench.server;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cohort.api.Gid;
import dev.cohort.participant.Barrier;
import dev.cohort.participant.BranchRequest;
import dev.cohort.participant.ParticipantEndpoint;
import dev.cohort.protocol.CallSignature;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The benchmark's real participant: one TCC endpoint that checks the coordinator's signature, runs
 * the barrier and updates one account row on PostgreSQL per call (try freezes, confirm debits,
 * cancel unfreezes). {@link #directTransaction} makes the same four calls without the coordinator,
 * signed the same way, as the baseline.
 */
final class DbParticipants implements AutoCloseable {
  static final int ACCOUNTS = 1000;

  private final HikariDataSource pool;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final CallSignature signer;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .executor(Executors.newVirtualThreadPerTaskExecutor())
          .build();

  private DbParticipants(HikariDataSource pool, HttpServer server, CallSignature signer) {
    this.pool = pool;
    this.server = server;
    this.signer = signer;
  }

  static DbParticipants start(String url, String user, String password, Path keyFile)
      throws Exception {
    if (url == null || keyFile == null) {
      throw new IllegalArgumentException("tcc-db needs pg-url=... and key-file=...");
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(32);
    config.setPoolName("bench-participants");
    HikariDataSource pool = new HikariDataSource(config);
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS bench_account");
      s.execute(
          "CREATE TABLE bench_account (id INT PRIMARY KEY, balance BIGINT NOT NULL,"
              + " frozen BIGINT NOT NULL)");
      s.execute(
          "INSERT INTO bench_account SELECT g, 1000000000, 0 FROM generate_series(0, "
              + (ACCOUNTS - 1)
              + ") g");
    }
    Barrier barrier = Barrier.forDataSource(pool);
    barrier.createSchema();
    byte[] key = Files.readAllBytes(keyFile);
    CallSignature signature =
        new CallSignature(
            Map.of("bench", key), "bench", CallSignature.DEFAULT_MAX_SKEW, Clock.systemUTC());
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    DbParticipants participants = new DbParticipants(pool, server, signature);
    server.setExecutor(participants.executor);
    server.createContext(
        "/account",
        ParticipantEndpoint.tcc(barrier, signature)
            .onTry(r -> update(r, "UPDATE bench_account SET frozen = frozen + 1 WHERE id = ?"))
            .onConfirm(r ->
                update(
                    r,
                    "UPDATE bench_account SET balance = balance - 1, frozen = frozen - 1"
                        + " WHERE id = ?"))
            .onCancel(r -> update(r, "UPDATE bench_account SET frozen = frozen - 1 WHERE id = ?"))
            .build()
            .jdkHandler());
    server.start();
    return participants;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/account");
  }

  private static void update(BranchRequest r, String sql) throws Exception {
    String body = r.body();
    int account = Integer.parseInt(body.replaceAll("[^0-9]", ""));
    try (PreparedStatement p = r.connection().prepareStatement(sql)) {
      p.setInt(1, account);
      p.executeUpdate();
    }
  }

  /** try b1, try b2, confirm b1, confirm b2: what the coordinator does, made directly. */
  void directTransaction() throws IOException, InterruptedException {
    String gid = Gid.random().value();
    int account = ThreadLocalRandom.current().nextInt(ACCOUNTS);
    String[][] calls = {
      {"b1", "try"}, {"b2", "try"}, {"b1", "confirm"}, {"b2", "confirm"},
    };
    for (String[] call : calls) {
      int id = call[0].equals("b1") ? account : (account + 1) % ACCOUNTS;
      byte[] body = ("{\"account\":" + id + "}").getBytes(StandardCharsets.UTF_8);
      HttpRequest.Builder request =
          HttpRequest.newBuilder(url())
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      signer.sign(gid, call[0], call[1], body).forEach(request::header);
      int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status != 200) {
        throw new IllegalStateException(call[1] + " answered " + status);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    pool.close();
  }
}
