package dev.cohort.bench.replica;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cohort.replica.ConsistencyPolicy;
import dev.cohort.replica.ReplicaOptions;
import dev.cohort.replica.RoutingDataSource;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.HdrHistogram.Histogram;

/**
 * The same read/write mix through plain HikariCP on the primary and through Cohort under several
 * policies and replica apply delays, on the PostgreSQL pair of {@code scripts/services}.
 *
 * <p>Each client owns a few rows; it writes (bumps a row's version) or reads one of its rows, then
 * thinks. A read that returns a version lower than the client last wrote is a stale read.
 *
 * <pre>
 * scripts/services up
 * scripts/mvn -q -B -pl cohort-bench -am package dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt -DskipTests
 * java -cp cohort-bench/target/classes:$(cat cohort-bench/target/cp.txt) \
 *     dev.cohort.bench.replica.ReplicaRoutingBench [seconds-per-run] [clients] [think-ms]
 * </pre>
 */
public final class ReplicaRoutingBench {
  private static final double WRITE_SHARE = 0.2;
  private static final int ROWS_PER_CLIENT = 4;

  private final HikariDataSource primary;
  private final HikariDataSource replica;
  private final Duration runFor;
  private final int clients;
  private final long thinkNanos;

  private record Result(
      String name,
      long ops,
      double seconds,
      long reads,
      long replicaReads,
      long stale,
      long errors,
      Histogram latency) {
    String line() {
      return String.format(
          Locale.ROOT,
          "%-34s %9.0f ops/s  p50 %7.3f ms  p99 %7.3f ms  reads on replicas %5.1f%%  stale reads %d  errors %d",
          name,
          ops / seconds,
          latency.getValueAtPercentile(50) / 1e6,
          latency.getValueAtPercentile(99) / 1e6,
          reads == 0 ? 0.0 : 100.0 * replicaReads / reads,
          stale,
          errors);
    }
  }

  private ReplicaRoutingBench(
      HikariDataSource primary,
      HikariDataSource replica,
      Duration runFor,
      int clients,
      long think) {
    this.primary = primary;
    this.replica = replica;
    this.runFor = runFor;
    this.clients = clients;
    this.thinkNanos = think;
  }

  public static void main(String[] args) throws Exception {
    Duration runFor = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 10);
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    long think = TimeUnit.MILLISECONDS.toNanos(args.length > 2 ? Long.parseLong(args[2]) : 2);
    Properties settings = settings();
    String user = settings.getProperty("COHORT_PG_USER");
    String password = settings.getProperty("COHORT_PG_PASSWORD", "");
    try (HikariDataSource primary =
            pool("bench-primary", settings.getProperty("COHORT_PG_PRIMARY_URL"), user, password);
        HikariDataSource replica =
            pool("bench-replica", settings.getProperty("COHORT_PG_REPLICA_URL"), user, password)) {
      new ReplicaRoutingBench(primary, replica, runFor, clients, think).run();
    }
  }

  private void run() throws Exception {
    System.out.printf(
        Locale.ROOT,
        "clients %d, think %d ms, writes %.0f%%, %s per run, %d cores, %s%n",
        clients,
        TimeUnit.NANOSECONDS.toMillis(thinkNanos),
        WRITE_SHARE * 100,
        runFor,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    createTable();
    List<Result> results = new ArrayList<>();
    try {
      setReplicaDelay("200ms");
      measure("warm-up (discarded)", primary, null);
      try (RoutingDataSource cohort = cohort(ConsistencyPolicy.PRIMARY)) {
        measure("warm-up (discarded)", cohort, cohort);
      }
      results.add(measure("plain HikariCP, primary only", primary, null));
      try (RoutingDataSource cohort = cohort(ConsistencyPolicy.PRIMARY)) {
        results.add(measure("Cohort PRIMARY (routing overhead)", cohort, cohort));
      }
      try (RoutingDataSource cohort = cohort(ConsistencyPolicy.EVENTUAL)) {
        results.add(measure("Cohort EVENTUAL, delay 200ms", cohort, cohort));
      }
      for (String delay : new String[] {"0", "50ms", "200ms"}) {
        setReplicaDelay(delay);
        try (RoutingDataSource cohort = cohort(ConsistencyPolicy.READ_YOUR_WRITES)) {
          results.add(measure("Cohort READ_YOUR_WRITES, delay " + delay, cohort, cohort));
        }
      }
      try (RoutingDataSource cohort = cohort(ConsistencyPolicy.READ_YOUR_WRITES, Duration.ZERO)) {
        results.add(measure("Cohort RYW maxWait 0, delay 200ms", cohort, cohort));
      }
      results.add(measure("plain HikariCP, primary only (again)", primary, null));
    } finally {
      resetReplicaDelay();
      try (Connection c = primary.getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS bench_row");
      }
    }
    System.out.println();
    results.forEach(r -> System.out.println(r.line()));
    Result plain = results.get(0);
    Result routed = results.get(1);
    System.out.printf(
        Locale.ROOT,
        "%nrouting overhead (Cohort PRIMARY vs plain, throughput): %.1f%%%n",
        100.0 * (1 - (routed.ops() / routed.seconds()) / (plain.ops() / plain.seconds())));
  }

  private RoutingDataSource cohort(ConsistencyPolicy policy) {
    return cohort(policy, ReplicaOptions.DEFAULT_MAX_WAIT);
  }

  private RoutingDataSource cohort(ConsistencyPolicy policy, Duration maxWait) {
    return RoutingDataSource.builder()
        .primary("primary", primary)
        .replica("replica", replica)
        .options(
            ReplicaOptions.builder()
                .sourceId("bench")
                .defaultPolicy(policy)
                .maxWait(maxWait)
                .build())
        .build();
  }

  private Result measure(String name, DataSource ds, RoutingDataSource cohort)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    long[] ops = new long[clients];
    long[] reads = new long[clients];
    long[] stale = new long[clients];
    long[] errors = new long[clients];
    Histogram[] latency = new Histogram[clients];
    for (int c = 0; c < clients; c++) {
      int client = c;
      latency[c] = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
      Thread t =
          new Thread(
              () -> {
                dev.cohort.replica.Consistency.reset();
                long[] written = new long[ROWS_PER_CLIENT];
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!stop.get()) {
                  int slot = random.nextInt(ROWS_PER_CLIENT);
                  int id = client * ROWS_PER_CLIENT + slot;
                  long start = System.nanoTime();
                  try {
                    if (random.nextDouble() < WRITE_SHARE) {
                      written[slot] = write(ds, id);
                    } else {
                      reads[client]++;
                      if (read(ds, id) < written[slot]) {
                        stale[client]++;
                      }
                    }
                  } catch (SQLException e) {
                    // e.g. a hot standby cancelling a read in conflict with recovery: counted,
                    // not fatal to the run
                    errors[client]++;
                    continue;
                  }
                  latency[client].recordValue(
                      Math.min(System.nanoTime() - start, TimeUnit.SECONDS.toNanos(10)));
                  ops[client]++;
                  LockSupport.parkNanos(thinkNanos);
                }
                dev.cohort.replica.Consistency.reset();
              },
              "bench-client-" + c);
      threads.add(t);
    }
    long begin = System.nanoTime();
    threads.forEach(Thread::start);
    Thread.sleep(runFor.toMillis()); // the measured interval, not a wait for a condition
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - begin) / 1e9;
    Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    long totalOps = 0;
    long totalReads = 0;
    long totalStale = 0;
    long totalErrors = 0;
    for (int c = 0; c < clients; c++) {
      all.add(latency[c]);
      totalOps += ops[c];
      totalReads += reads[c];
      totalStale += stale[c];
      totalErrors += errors[c];
    }
    long replicaReads =
        cohort == null
            ? 0
            : (long)
                cohort
                    .meterRegistry()
                    .find("cohort.replica.reads")
                    .tag("role", "replica")
                    .counters()
                    .stream()
                    .mapToDouble(Counter::count)
                    .sum();
    Result r =
        new Result(name, totalOps, seconds, totalReads, replicaReads, totalStale, totalErrors, all);
    System.out.println(r.line());
    return r;
  }

  private static long write(DataSource ds, int id) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE bench_row SET version = version + 1 WHERE id = ? RETURNING version")) {
      s.setInt(1, id);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long read(DataSource ds, int id) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT version FROM bench_row WHERE id = ?")) {
      s.setInt(1, id);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private void createTable() throws SQLException {
    try (Connection c = primary.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS bench_row");
      s.execute("CREATE TABLE bench_row (id INT PRIMARY KEY, version BIGINT NOT NULL)");
      s.execute(
          "INSERT INTO bench_row SELECT g, 0 FROM generate_series(0, "
              + (clients * ROWS_PER_CLIENT - 1)
              + ") g");
    }
  }

  private void setReplicaDelay(String delay) throws SQLException {
    try (Connection c = replica.getConnection();
        Statement s = c.createStatement()) {
      s.execute("ALTER SYSTEM SET recovery_min_apply_delay = '" + delay + "'");
      s.execute("SELECT pg_reload_conf()");
    }
  }

  private void resetReplicaDelay() throws SQLException {
    try (Connection c = replica.getConnection();
        Statement s = c.createStatement()) {
      s.execute("ALTER SYSTEM RESET recovery_min_apply_delay");
      s.execute("SELECT pg_reload_conf()");
    }
  }

  private static HikariDataSource pool(String name, String url, String user, String password) {
    HikariConfig c = new HikariConfig();
    c.setPoolName(name);
    c.setJdbcUrl(url);
    c.setUsername(user);
    c.setPassword(password);
    c.setMaximumPoolSize(16);
    c.setConnectionTimeout(5_000);
    return new HikariDataSource(c);
  }

  private static Properties settings() throws IOException {
    Path file = Path.of(System.getProperty("cohort.services.file", "target/services.properties"));
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      }
    }
    System.getenv()
        .forEach((k, v) -> {
          if (k.startsWith("COHORT_")) {
            p.setProperty(k, v);
          }
        });
    if (p.getProperty("COHORT_PG_PRIMARY_URL") == null) {
      throw new IllegalStateException(
          "no PostgreSQL settings in " + file.toAbsolutePath() + "; run `scripts/services up`");
    }
    return p;
  }
}
