package dev.cohort.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cohort.participant.Barrier;
import dev.cohort.participant.BranchRequest;
import dev.cohort.participant.ParticipantEndpoint;
import dev.cohort.protocol.CallSignature;
import dev.cohort.testsupport.DatabasePair;
import dev.cohort.testsupport.TestServices;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two server processes share one PostgreSQL log. Node A is SIGKILLed while it delivers confirms: in
 * half of the transactions the participant has not acted on A's confirm yet when A dies, in the
 * other half it has acted but A never hears the answer. Node B, which never received a request,
 * finishes every transaction once A's lease runs out, and the barrier turns B's repeated confirm
 * into a skipped duplicate: every business effect happens exactly once. A's one-call transactions
 * still in their tries when it dies are rolled back by B once the lease ran out, long before their
 * deadline. The takeover times are printed ({@code [measured]}); they are not asserted.
 */
class TwoNodesKillIT {
  private static final int TRANSACTIONS = 12;
  private static final int IN_TRIES = 4;
  private static final String TOKEN = "two-nodes-token-0123456789";

  private final List<Process> nodes = new ArrayList<>();
  private HttpServer participants;

  @AfterEach
  void stop() {
    nodes.forEach(Process::destroyForcibly);
    if (participants != null) {
      participants.stop(0);
    }
  }

  @Test
  void theSurvivingNodeFinishesPhaseTwoAndNoEffectHappensTwice() throws Exception {
    DatabasePair pg = TestServices.load().postgres().isolated("two_nodes");
    DataSource business = pg.primary();
    try (Connection c = business.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE effects (gid TEXT, branch TEXT, op TEXT)");
    }
    Barrier barrier = Barrier.forDataSource(business);
    barrier.createSchema();

    Path keyFile = Files.createTempFile("cohort-key", ".txt");
    String key = "0123456789abcdef0123456789abcdef";
    Files.writeString(keyFile, key);
    CallSignature verifier =
        new CallSignature(
            Map.of("k1", key.getBytes(StandardCharsets.UTF_8)),
            "k1",
            CallSignature.DEFAULT_MAX_SKEW,
            Clock.systemUTC());

    CountDownLatch nodeADied = new CountDownLatch(1);
    Map<String, AtomicInteger> confirmCalls = new ConcurrentHashMap<>();
    AtomicInteger tryCalls = new AtomicInteger();
    ParticipantEndpoint endpoint =
        ParticipantEndpoint.tcc(barrier, verifier)
            .onTry(r -> record(r, "try"))
            .onConfirm(r -> record(r, "confirm"))
            .onCancel(r -> record(r, "cancel"))
            .build();
    participants = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    participants.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    participants.createContext(
        "/tcc",
        exchange -> {
          String op = exchange.getRequestHeaders().getFirst("Cohort-Op");
          String branch = exchange.getRequestHeaders().getFirst("Cohort-Branch");
          String gid = exchange.getRequestHeaders().getFirst("Cohort-Gid");
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          if ("try".equals(op)) {
            tryCalls.incrementAndGet();
          }
          boolean first =
              "confirm".equals(op)
                  && confirmCalls
                          .computeIfAbsent(gid + "/" + branch, k -> new AtomicInteger())
                          .incrementAndGet()
                      == 1;
          // Confirms go out one branch after another, so A's first confirm of b1 is where it
          // stops: for even gids before the participant acts, for odd gids after it acted.
          boolean holdBefore =
              (first && "b1".equals(branch) && evenGid(gid))
                  || ("try".equals(op) && gid.startsWith("in-try-"));
          boolean holdAfter = first && "b1".equals(branch) && !evenGid(gid);
          if (holdBefore) {
            awaitQuietly(nodeADied);
          }
          ParticipantEndpoint.Response response =
              endpoint.handle(name -> exchange.getRequestHeaders().getFirst(name), body);
          if (holdAfter) {
            awaitQuietly(nodeADied);
          }
          reply(exchange, response);
        });
    participants.start();
    String base = "http://127.0.0.1:" + participants.getAddress().getPort() + "/tcc";

    int portA = freePort();
    int portB = freePort();
    nodes.add(startNode(pg, "node-a", portA, keyFile));
    nodes.add(startNode(pg, "node-b", portB, keyFile));
    HttpClient http = HttpClient.newHttpClient();
    awaitHealthy(http, portA);
    awaitHealthy(http, portB);

    String branch =
        "{\"branchId\":\"%s\",\"try\":\""
            + base
            + "\",\"confirm\":\""
            + base
            + "\",\"cancel\":\""
            + base
            + "\",\"payload\":{\"n\":%d}}";
    List<String> gids = new ArrayList<>();
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < TRANSACTIONS; i++) {
      String gid = "kill-" + i;
      gids.add(gid);
      String body =
          "{\"mode\":\"tcc\",\"gid\":\""
              + gid
              + "\",\"submit\":true,\"timeoutMs\":60000,"
              + "\"branches\":["
              + String.format(java.util.Locale.ROOT, branch, "b1", i)
              + ","
              + String.format(java.util.Locale.ROOT, branch, "b2", i)
              + "]}";
      // Sent to A only; the answers never come because A dies while confirming.
      answers.add(
          http.sendAsync(
              post(portA, "/v1/transactions", body), HttpResponse.BodyHandlers.ofString()));
    }
    List<String> inTries = new ArrayList<>();
    for (int i = 0; i < IN_TRIES; i++) {
      String gid = "in-try-" + i;
      inTries.add(gid);
      String body =
          "{\"mode\":\"tcc\",\"gid\":\""
              + gid
              + "\",\"submit\":true,\"timeoutMs\":600000,\"branches\":["
              + String.format(java.util.Locale.ROOT, branch, "b1", i)
              + "]}";
      answers.add(
          http.sendAsync(
              post(portA, "/v1/transactions", body), HttpResponse.BodyHandlers.ofString()));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> {
          for (CompletableFuture<HttpResponse<String>> answer : answers) {
            if (answer.isDone()) {
              throw new AssertionError(
                  "node A answered before it was killed: " + answer.join().body());
            }
          }
          return confirmCalls.size() == TRANSACTIONS
              && count(business, "confirm") == TRANSACTIONS / 2
              && tryCalls.get() == 2 * TRANSACTIONS + IN_TRIES;
        });

    long killedAt = System.nanoTime();
    nodes.getFirst().destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL
    assertThat(nodes.getFirst().exitValue()).isEqualTo(137);
    nodeADied.countDown();

    Map<String, Long> finishedAfter = new ConcurrentHashMap<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> {
          for (String gid : gids) {
            if (status(http, portB, gid).equals("committed")) {
              finishedAfter.putIfAbsent(gid, System.nanoTime() - killedAt);
            }
          }
          for (String gid : inTries) {
            if (status(http, portB, gid).equals("rolled_back")) {
              finishedAfter.putIfAbsent(gid, System.nanoTime() - killedAt);
            }
          }
          return finishedAfter.size() == gids.size() + inTries.size();
        });
    System.out.printf(
        java.util.Locale.ROOT,
        "[measured] two nodes, A SIGKILLed (--lease PT2S, --poll-interval PT0.2S): B finished A's"
            + " %d phase-two transactions within %d ms and rolled back its %d still in their tries"
            + " (deadline 600 s) within %d ms of the kill%n",
        gids.size(),
        gids.stream().mapToLong(g -> finishedAfter.get(g)).max().orElseThrow() / 1_000_000,
        inTries.size(),
        inTries.stream().mapToLong(g -> finishedAfter.get(g)).max().orElseThrow() / 1_000_000);

    assertThat(count(business, "try")).isEqualTo(2 * TRANSACTIONS);
    assertThat(count(business, "confirm")).isEqualTo(2 * TRANSACTIONS);
    assertThat(count(business, "cancel")).isZero();
    assertThat(duplicates(business)).as("effects recorded twice").isZero();
    for (String gid : gids) {
      assertThat(confirmCalls.get(gid + "/b1").get())
          .as("confirms of %s/b1: A's, then B's redelivery", gid)
          .isGreaterThanOrEqualTo(2);
    }
  }

  private static boolean evenGid(String gid) {
    return Integer.parseInt(gid.substring(gid.indexOf('-') + 1)) % 2 == 0;
  }

  private static void record(BranchRequest r, String op) throws Exception {
    try (PreparedStatement p =
        r.connection().prepareStatement("INSERT INTO effects VALUES (?, ?, ?)")) {
      p.setString(1, r.gid());
      p.setString(2, r.branchId());
      p.setString(3, op);
      p.executeUpdate();
    }
  }

  private static long count(DataSource ds, String op) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement p =
            c.prepareStatement("SELECT COUNT(*) FROM effects WHERE op = ? AND gid LIKE 'kill-%'")) {
      p.setString(1, op);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long duplicates(DataSource ds) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*) FROM (SELECT gid, branch, op FROM effects"
                    + " GROUP BY gid, branch, op HAVING COUNT(*) > 1) d")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private Process startNode(DatabasePair pg, String nodeId, int port, Path keyFile)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.cohort.server.cli.CohortCli");
    command.addAll(
        List.of(
            "server",
            "--store",
            "postgres:" + pg.primaryUrl(),
            "--user",
            pg.user(),
            "--password",
            pg.password(),
            "--port",
            Integer.toString(port),
            "--token",
            TOKEN,
            "--node-id",
            nodeId,
            "--lease",
            "PT2S",
            "--poll-interval",
            "PT0.2S",
            "--call-timeout",
            "PT60S",
            "--signing-key-id",
            "k1",
            "--signing-key-file",
            keyFile.toString()));
    Path log = Files.createTempFile("cohort-" + nodeId, ".log");
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static void awaitHealthy(HttpClient http, int port) {
    // A JVM start takes seconds on a quiet machine and half a minute on a loaded 2-core one.
    await()
        .atMost(Duration.ofMinutes(2))
        .ignoreExceptions()
        .until(() ->
            http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                            .build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode()
                == 200);
  }

  private static String status(HttpClient http, int port, String gid) throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/transactions/" + gid))
                    .header("Authorization", "Bearer " + TOKEN)
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    var m = java.util.regex.Pattern.compile("\"status\"\\s*:\\s*\"([a-z_]+)\"").matcher(body);
    return m.find() ? m.group(1) : body;
  }

  private static HttpRequest post(int port, String path, String json) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  private static void reply(HttpExchange exchange, ParticipantEndpoint.Response response)
      throws IOException {
    byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", ParticipantEndpoint.CONTENT_TYPE);
    exchange.sendResponseHeaders(response.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
