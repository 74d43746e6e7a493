package dev.cohort.bench.console;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.bench.ClosedLoop;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.LogUnit;
import dev.cohort.coordinator.spi.WriteResult;
import dev.cohort.jdbc.Database;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.server.CohortServer;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * The console's list, search and overview pages on a log of 100,000 transactions (not a test: a
 * measurement). Fills the log directly (mostly committed, some rolled back, 1 % failed with branch
 * errors, some in delivery; created over the last two hours; five participant hosts), starts the
 * server on it, logs in, and asks each page repeatedly from one client: p50 and p99 per page.
 *
 * <pre>
 * scripts/mvn -q install -DskipTests -pl cohort-bench -am
 * scripts/mvn -q dependency:build-classpath -pl cohort-bench -Dmdep.outputFile=/tmp/bench.cp
 * java -cp cohort-bench/target/classes:$(cat /tmp/bench.cp) dev.cohort.bench.console.ConsoleBench \
 *     logs=sqlite,postgres transactions=100000 requests=200
 * </pre>
 */
public final class ConsoleBench {
  private static final String TOKEN = "console-bench-token-0123456789";
  private static final String[] HOSTS = {
    "http://stock.internal:8080",
    "http://pay.internal:8080",
    "http://ship.internal:8080",
    "http://mail.internal:8080",
    "http://loyalty.internal:8080"
  };

  /** In one transaction's error only: what an operator greps for. */
  private static final String RARE_ERROR_WORD = " (ECONNRESET zq7x)";

  /** In one transaction's participant URLs only. */
  private static final String RARE_PATH = "/tenant-4711";

  private ConsoleBench() {}

  public static void main(String[] args) throws Exception {
    Properties a = ClosedLoop.arguments(args);
    int transactions = Integer.parseInt(a.getProperty("transactions", "100000"));
    int requests = Integer.parseInt(a.getProperty("requests", "200"));
    Properties services = load(Path.of(a.getProperty("services", "target/services.properties")));
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores; %,d transactions; %d requests per page after %d warm-up%n",
        Runtime.getRuntime().availableProcessors(),
        transactions,
        requests,
        requests / 4);
    for (String log : a.getProperty("logs", "sqlite,postgres").split(",", -1)) {
      run(log, services, transactions, requests);
    }
  }

  private static void run(String log, Properties services, int transactions, int requests)
      throws Exception {
    HikariDataSource pool = null;
    JdbcTransactionStore store;
    // The baseline of the search pages, in the same run on the same rows: a second server on the
    // same log whose text search asks the index at once (searchScanFirst 0), as before the scan.
    Supplier<JdbcTransactionStore> indexOnly;
    Connector connect;
    if (log.equals("sqlite")) {
      Path file = Files.createTempDirectory("console-bench").resolve("log.db");
      store = JdbcTransactionStore.sqliteBuilder(file).textIndexes(true).build();
      indexOnly =
          () ->
              JdbcTransactionStore.sqliteBuilder(file).textIndexes(true).searchScanFirst(0).build();
      connect = () -> DriverManager.getConnection("jdbc:sqlite:" + file);
    } else if (log.equals("postgres")) {
      HikariDataSource p = postgres(services);
      pool = p;
      store = JdbcTransactionStore.builder(p, Database.POSTGRESQL).textIndexes(true).build();
      indexOnly =
          () ->
              JdbcTransactionStore.builder(p, Database.POSTGRESQL)
                  .textIndexes(true)
                  .searchScanFirst(0)
                  .build();
      connect = pool::getConnection;
    } else {
      throw new IllegalArgumentException("unknown log '" + log + "'; use sqlite or postgres");
    }
    try (CohortServer server = CohortServer.builder(store).port(0).token(TOKEN).build().start()) {
      long started = System.nanoTime();
      String failedGid = fill(store, transactions);
      System.out.printf(
          Locale.ROOT,
          "%n%s: filled %,d transactions in %.1f s%n",
          log,
          transactions,
          (System.nanoTime() - started) / 1e9);
      Client client = new Client(server.port());
      client.login();
      CohortServer baseline =
          CohortServer.builder(indexOnly.get())
              .port(0)
              .token(TOKEN)
              .options(CoordinatorOptions.newBuilder().nodeId("bench-index-only").build())
              .build()
              .start();
      Client indexClient = new Client(baseline.port());
      indexClient.login();
      Map<String, String> pages = new LinkedHashMap<>();
      pages.put("list (first page)", "/console/transactions");
      pages.put("list status=failed", "/console/transactions?status=failed");
      pages.put(
          "list status=committed, older than 30m",
          "/console/transactions?status=committed&olderThan=30m");
      pages.put(
          "search gid text",
          "/console/transactions?text=" + failedGid.substring(failedGid.length() - 8));
      String gidMiddle = failedGid.substring(10, 18);
      pages.put("search rare: gid fragment (middle)", "/console/transactions?text=" + gidMiddle);
      pages.put(
          "search rare: error word",
          "/console/transactions?error="
              + URLEncoder.encode(RARE_ERROR_WORD.strip(), StandardCharsets.UTF_8));
      pages.put("search rare: participant path", "/console/transactions?participant=" + RARE_PATH);
      pages.put(
          "search whole gid (answers with a redirect)", "/console/transactions?text=" + failedGid);
      pages.put("search participant", "/console/transactions?participant=mail.internal");
      pages.put("search error text", "/console/transactions?error=connection+refused");
      pages.put(
          "search error text, no match", "/console/transactions?error=no+such+error+anywhere");
      pages.put("transaction page", "/console/transactions/" + failedGid);
      pages.put("overview", "/console/overview");
      pages.put("live counts", "/console/counts");
      System.out.printf(Locale.ROOT, "%-42s %9s %9s %9s%n", "page", "p50 ms", "p99 ms", "max ms");
      for (Map.Entry<String, String> page : pages.entrySet()) {
        // Search pages alternate, request by request, with the index-only server.
        boolean ab = page.getKey().startsWith("search") && !page.getKey().contains("whole gid");
        Histogram h = new Histogram(3);
        Histogram hIndex = new Histogram(3);
        for (int i = 0; i < requests + requests / 4; i++) {
          timed(client, page.getValue(), i >= requests / 4 ? h : null);
          if (ab) {
            timed(indexClient, page.getValue(), i >= requests / 4 ? hIndex : null);
          }
        }
        print(page.getKey(), h);
        if (ab) {
          print("  the same, index only (before)", hIndex);
        }
      }
      baseline.close();
      scanBaseline(connect, gidMiddle, Math.max(5, requests / 10));
    } finally {
      if (pool != null) {
        pool.close();
      }
    }
  }

  private static void timed(Client client, String path, Histogram into)
      throws IOException, InterruptedException {
    long t = System.nanoTime();
    int status = client.get(path);
    if (status != 200 && status != 303) {
      throw new IllegalStateException(path + " answered " + status);
    }
    if (into != null) {
      into.recordValue(System.nanoTime() - t);
    }
  }

  private static void print(String name, Histogram h) {
    System.out.printf(
        Locale.ROOT,
        "%-42s %9.1f %9.1f %9.1f%n",
        name,
        h.getValueAtPercentile(50) / 1e6,
        h.getValueAtPercentile(99) / 1e6,
        h.getMaxValue() / 1e6);
  }

  /** A connection to the bench's log, for the baseline queries. */
  private interface Connector {
    Connection open() throws SQLException;
  }

  /**
   * The baseline, measured in the same run on the same rows: the same three rare-text searches as
   * the search before the text indexes ran them (LOWER(column) LIKE '%text%' on every row, branches
   * through EXISTS), straight over JDBC, without the page around it.
   */
  private static void scanBaseline(Connector connect, String gidMiddle, int runs)
      throws SQLException {
    String like = " LIKE ? ESCAPE '!'";
    Map<String, String[]> queries = new LinkedHashMap<>();
    queries.put(
        "scan: gid fragment (middle)",
        new String[] {
          "LOWER(gid)"
              + like
              + " OR LOWER(COALESCE(reason, ''))"
              + like
              + " OR EXISTS (SELECT 1 FROM cohort_branch b WHERE b.gid = g.gid"
              + " AND LOWER(COALESCE(b.payload, ''))"
              + like
              + ")",
          gidMiddle
        });
    queries.put(
        "scan: error word",
        new String[] {
          "LOWER(COALESCE(reason, ''))"
              + like
              + " OR EXISTS (SELECT 1 FROM cohort_branch b WHERE b.gid = g.gid"
              + " AND LOWER(COALESCE(b.last_error, ''))"
              + like
              + ")",
          RARE_ERROR_WORD.strip()
        });
    queries.put(
        "scan: participant path",
        new String[] {
          "EXISTS (SELECT 1 FROM cohort_branch b WHERE b.gid = g.gid"
              + " AND (LOWER(b.participant)"
              + like
              + " OR LOWER(COALESCE(b.payload, ''))"
              + like
              + "))",
          RARE_PATH
        });
    try (Connection c = connect.open()) {
      for (Map.Entry<String, String[]> q : queries.entrySet()) {
        String sql =
            "SELECT gid FROM cohort_global g WHERE (" + q.getValue()[0] + ") ORDER BY gid LIMIT 51";
        Histogram h = new Histogram(3);
        try (PreparedStatement p = c.prepareStatement(sql)) {
          int marks = (int) sql.chars().filter(ch -> ch == '?').count();
          for (int k = 1; k <= marks; k++) {
            p.setString(k, "%" + q.getValue()[1].toLowerCase(Locale.ROOT) + "%");
          }
          for (int i = 0; i < runs + 1; i++) {
            long t = System.nanoTime();
            int found = 0;
            try (ResultSet rs = p.executeQuery()) {
              while (rs.next()) {
                found++;
              }
            }
            if (found == 0) {
              throw new IllegalStateException(q.getKey() + " found nothing");
            }
            if (i > 0) {
              h.recordValue(System.nanoTime() - t);
            }
          }
        }
        System.out.printf(
            Locale.ROOT,
            "%-42s %9.1f %9.1f %9.1f%n",
            q.getKey(),
            h.getValueAtPercentile(50) / 1e6,
            h.getValueAtPercentile(99) / 1e6,
            h.getMaxValue() / 1e6);
      }
    }
  }

  /**
   * Writes the transactions straight into the log, a window of writes in flight at a time so that
   * group commit batches them. Unfinished ones are leased to another node far into the future, so
   * this server's poller leaves them alone. Returns a failed transaction's gid.
   */
  private static String fill(JdbcTransactionStore store, int n) {
    Random random = new Random(42);
    Instant now = Instant.now();
    Instant far = now.plus(Duration.ofDays(1));
    String failed = null;
    List<CompletableFuture<WriteResult>> inFlight = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Gid gid = Gid.random();
      Instant created = now.minusMillis(random.nextLong(Duration.ofHours(2).toMillis()));
      int kind = random.nextInt(100);
      GlobalStatus status =
          kind < 1
              ? GlobalStatus.FAILED
              : kind < 6
                  ? GlobalStatus.ROLLED_BACK
                  : kind < 10 ? GlobalStatus.COMMITTING : GlobalStatus.COMMITTED;
      String reason =
          switch (status) {
            case FAILED -> "delivery window exhausted: confirm did not succeed";
            case ROLLED_BACK -> "try refused by the participant";
            default -> null;
          };
      GlobalRecord g =
          GlobalRecord.fromLog(
              gid,
              Mode.TCC,
              status,
              status == GlobalStatus.FAILED ? GlobalStatus.COMMITTING : null,
              false,
              created.plusSeconds(30),
              far,
              status == GlobalStatus.FAILED ? 12 : 0,
              created,
              "other-node",
              far,
              reason,
              created,
              created.plusMillis(40));
      List<BranchRecord> branches = new ArrayList<>();
      for (int b = 0; b < 2; b++) {
        String host = HOSTS[random.nextInt(HOSTS.length)] + (i == n / 2 ? RARE_PATH : "");
        String payload =
            HttpTarget.tcc(
                    URI.create(host + "/try"),
                    URI.create(host + "/confirm"),
                    URI.create(host + "/cancel"),
                    "{\"order\":" + i + "}")
                .encode();
        boolean broken = status == GlobalStatus.FAILED && b == 0;
        branches.add(
            new BranchRecord(
                gid,
                BranchId.of("b" + b),
                b + 1,
                HttpTarget.PARTICIPANT,
                payload,
                false,
                status == GlobalStatus.COMMITTED ? BranchStatus.CONFIRMED : BranchStatus.SUCCEEDED,
                broken ? 12 : 0,
                broken
                    ? "connection refused by " + host + (failed == null ? RARE_ERROR_WORD : "")
                    : null));
      }
      if (status == GlobalStatus.FAILED && failed == null) {
        failed = gid.value();
      }
      inFlight.add(store.write(new LogUnit(new LogUnit.Insert(g, branches), List.of())));
      if (inFlight.size() == 2_000) {
        inFlight.forEach(CompletableFuture::join);
        inFlight.clear();
      }
    }
    inFlight.forEach(CompletableFuture::join);
    if (failed == null) {
      throw new IllegalStateException("no failed transaction among " + n + "; use more");
    }
    return failed;
  }

  private static HikariDataSource postgres(Properties services) throws Exception {
    String url =
        System.getenv()
            .getOrDefault("COHORT_PG_BENCH_URL", services.getProperty("COHORT_PG_BENCH_URL"));
    if (url == null) {
      url =
          System.getenv()
              .getOrDefault("COHORT_PG_PRIMARY_URL", services.getProperty("COHORT_PG_PRIMARY_URL"));
    }
    if (url == null) {
      throw new IllegalStateException(
          "no PostgreSQL: run `COHORT_SERVICES=postgres-bench scripts/services up` first");
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(services.getProperty("COHORT_PG_USER", "postgres"));
    config.setPassword(services.getProperty("COHORT_PG_PASSWORD", ""));
    config.setMaximumPoolSize(8);
    config.addDataSourceProperty("currentSchema", "cohort_console_bench");
    HikariDataSource ds = new HikariDataSource(config);
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS cohort_console_bench CASCADE");
      s.execute("CREATE SCHEMA cohort_console_bench");
    }
    return ds;
  }

  private static Properties load(Path file) throws IOException {
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      }
    }
    return p;
  }

  /** One logged-in browser, without rendering. */
  private static final class Client {
    private final HttpClient http =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String base;
    private String cookie;

    Client(int port) {
      this.base = "http://127.0.0.1:" + port;
    }

    void login() throws IOException, InterruptedException {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/console/login"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "token=" + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      String set =
          r.headers()
              .firstValue("Set-Cookie")
              .orElseThrow(() -> new IllegalStateException("login failed: " + r.statusCode()));
      cookie = set.substring(0, set.indexOf(';'));
    }

    int get(String path) throws IOException, InterruptedException {
      return http.send(
              HttpRequest.newBuilder(URI.create(base + path))
                  .header("Cookie", cookie)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    }
  }
}
