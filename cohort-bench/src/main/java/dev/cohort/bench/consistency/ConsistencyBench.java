package dev.cohort.bench.consistency;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cohort.bench.ClosedLoop;
import dev.cohort.cache.CacheCodec;
import dev.cohort.cache.CacheOptions;
import dev.cohort.cache.CacheVersion;
import dev.cohort.cache.Versioned;
import dev.cohort.cache.VersionedCache;
import dev.cohort.eventstore.EventData;
import dev.cohort.eventstore.EventStore;
import dev.cohort.jdbc.Database;
import dev.cohort.lock.Lease;
import dev.cohort.lock.LeaseLock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The hot paths of cohort-cache, cohort-eventstore and cohort-lock against their plain baselines,
 * in one run each (issue 14's benchmark). Needs Redis and the PostgreSQL primary of {@code
 * scripts/services} (or {@code COHORT_PG_BENCH_URL} when {@code scripts/services} started the bench
 * server).
 *
 * <pre>
 * scripts/services up
 * scripts/mvn -q -B -o -pl cohort-bench -am package dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt -DskipTests
 * java -cp cohort-bench/target/classes:$(cat cohort-bench/target/cp.txt) \
 *     dev.cohort.bench.consistency.ConsistencyBench seconds=5 workloads=cache,fill,append,lock
 * </pre>
 *
 * {@code before=<cohort-eventstore jar>} adds that build's {@code EventStore.append} to the append
 * rounds (measure a change against the last commit in one run).
 */
public final class ConsistencyBench {
  private static final AtomicLong IDS = new AtomicLong();

  private ConsistencyBench() {}

  public static void main(String[] args) throws Exception {
    Properties a = ClosedLoop.arguments(args);
    int seconds = Integer.parseInt(a.getProperty("seconds", "5"));
    int warmup = Integer.parseInt(a.getProperty("warmup", "1"));
    List<String> workloads =
        List.of(a.getProperty("workloads", "cache,fill,append,lock").split(","));
    String before = a.getProperty("before");
    Properties s = settings();
    if (workloads.contains("cache") || workloads.contains("fill")) {
      redis(s, workloads, seconds, warmup);
    }
    if (workloads.contains("append") || workloads.contains("lock")) {
      database(s, workloads, seconds, warmup, before);
    }
  }

  private static void redis(Properties s, List<String> workloads, int seconds, int warmup)
      throws Exception {
    RedisClient client = RedisClient.create(s.getProperty("COHORT_REDIS_URL"));
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      String ns = "bench-" + UUID.randomUUID();
      try (VersionedCache<String> cache =
          VersionedCache.builder(connection, CacheCodec.strings())
              .options(CacheOptions.builder().namespace(ns).build())
              .build()) {
        String value = "x".repeat(200);
        if (workloads.contains("cache")) {
          redis.set(ns + ":plain", value);
          cache.fill("hot", Versioned.of(value, CacheVersion.row(1)));
          // One caller shows the cost per hit (latency, nothing queued behind it); eight show
          // what one shared connection carries.
          for (int callers : List.of(1, 8)) {
            alternate(
                "cache hit: plain Lettuce GET, " + callers + " caller(s)",
                () -> redis.get(ns + ":plain"),
                "cache hit: VersionedCache.get, " + callers + " caller(s)",
                () -> cache.get("hot", k -> Versioned.of(value, CacheVersion.row(1))),
                callers,
                warmup,
                seconds);
          }
          // One caller again, the two calls taking turns on one thread, each timed: the machine's
          // drift between rounds (other processes, CPU frequency) cannot fall on one side only.
          interleaved(
              "cache hit: plain Lettuce GET, 1 caller, interleaved",
              () -> redis.get(ns + ":plain"),
              "cache hit: VersionedCache.get, 1 caller, interleaved",
              () -> cache.get("hot", k -> Versioned.of(value, CacheVersion.row(1))),
              warmup,
              seconds * ROUNDS);
        }
        if (workloads.contains("fill")) {
          AtomicLong version = new AtomicLong();
          alternate(
              "fill: plain SET PX",
              () -> redis.set(ns + ":plain-fill", value, SetArgs.Builder.px(600_000)),
              "fill: version-guarded (Lua)",
              () ->
                  cache.fill(
                      "fill", Versioned.of(value, CacheVersion.row(version.incrementAndGet()))),
              8,
              warmup,
              seconds);
        }
      }
    } finally {
      client.shutdown();
    }
  }

  private static void database(
      Properties s, List<String> workloads, int seconds, int warmup, String beforeJar)
      throws Exception {
    try (HikariDataSource ds = pool(s)) {
      try (Connection c = ds.getConnection();
          Statement st = c.createStatement()) {
        for (String t :
            List.of(
                "cohort_event",
                "cohort_event_head",
                "cohort_snapshot",
                "cohort_projection_checkpoint",
                "cohort_eventstore_schema_version",
                "bench_event",
                "bench_row")) {
          st.execute("DROP TABLE IF EXISTS " + t);
        }
        st.execute(
            "CREATE TABLE bench_event (global_position BIGSERIAL PRIMARY KEY, stream_id"
                + " VARCHAR(200) NOT NULL, stream_version BIGINT NOT NULL, event_type VARCHAR(200)"
                + " NOT NULL, payload TEXT NOT NULL, recorded_at BIGINT NOT NULL, UNIQUE"
                + " (stream_id, stream_version))");
        st.execute("CREATE TABLE bench_row (id BIGINT PRIMARY KEY, owner TEXT, token BIGINT)");
        st.execute("INSERT INTO bench_row VALUES (1, NULL, 0)");
      }
      if (workloads.contains("append")) {
        EventStore store = EventStore.builder(ds, Database.POSTGRESQL).build();
        store.createSchema();
        // before=<jar>: the same store from another build (e.g. the last commit's), measured in
        // the same rounds.
        JarEventStore before =
            beforeJar == null ? null : JarEventStore.load(Path.of(beforeJar), ds);
        for (int writers : new int[] {1, 16, 64}) {
          ClosedLoop.Task insert =
              () -> {
                try (Connection c = ds.getConnection();
                    PreparedStatement p =
                        c.prepareStatement(
                            "INSERT INTO bench_event (stream_id, stream_version, event_type,"
                                + " payload, recorded_at) VALUES (?, ?, 'E', '{}', 0)")) {
                  p.setString(1, "plain-" + IDS.incrementAndGet());
                  p.setLong(2, 1);
                  p.executeUpdate();
                }
              };
          List<String> names = new ArrayList<>();
          List<ClosedLoop.Task> tasks = new ArrayList<>();
          names.add("append x" + writers + ": plain INSERT");
          tasks.add(insert);
          if (before != null) {
            names.add("append x" + writers + ": EventStore.append (before)");
            ConcurrentHashMap<Thread, long[]> streams = new ConcurrentHashMap<>();
            tasks.add(() -> {
              long[] state = stream(streams);
              before.appendOne("stream-" + state[0], state[1]);
              state[1]++;
            });
          }
          names.add("append x" + writers + ": EventStore.append");
          tasks.add(appendTask(store, new ConcurrentHashMap<>()));
          alternate(names, tasks, writers, warmup, seconds);
        }
      }
      if (workloads.contains("lock")) {
        LeaseLock locks = LeaseLock.builder(ds, Database.POSTGRESQL).build();
        locks.createSchema();
        ClosedLoop.Task update =
            () -> {
              try (Connection c = ds.getConnection();
                  Statement st = c.createStatement()) {
                st.executeUpdate(
                    "UPDATE bench_row SET owner = 'a', token = token + 1 WHERE id = 1");
              }
            };
        ClosedLoop.Result plain = ClosedLoop.run(update, 1, warmup, seconds, false);
        ClosedLoop.Result cohort =
            ClosedLoop.run(
                () -> {
                  Lease lease =
                      locks.tryAcquire("bench", "a", Duration.ofSeconds(30)).orElseThrow();
                  locks.release(lease);
                },
                1,
                warmup,
                seconds,
                false);
        ClosedLoop.Result again = ClosedLoop.run(update, 1, warmup, seconds, false);
        pair("lock: plain row UPDATE", plain, again, "lock: LeaseLock acquire+release", cohort);
      }
    }
  }

  /** Each writer appends one event to its own stream, at the version it wrote last. */
  private static ClosedLoop.Task appendTask(
      EventStore store, ConcurrentHashMap<Thread, long[]> streams) {
    return () -> {
      long[] state = stream(streams);
      store.append("stream-" + state[0], state[1], List.of(EventData.of("E", "{}")));
      state[1]++;
    };
  }

  /** The caller's stream: {id, the version it wrote last}. */
  private static long[] stream(ConcurrentHashMap<Thread, long[]> streams) {
    return streams.computeIfAbsent(
        Thread.currentThread(), t -> new long[] {IDS.incrementAndGet(), 0});
  }

  /**
   * {@code tasks} in turn on {@code callers} threads, {@link #ROUNDS} rounds of {@code seconds}
   * each after one warm-up of each; every median compared with the first task's (the baseline).
   */
  private static void alternate(
      List<String> names, List<ClosedLoop.Task> tasks, int callers, int warmup, int seconds)
      throws InterruptedException {
    for (ClosedLoop.Task t : tasks) {
      ClosedLoop.run(t, callers, warmup, 1, false);
    }
    List<List<ClosedLoop.Result>> results = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      results.add(new ArrayList<>());
    }
    for (int r = 0; r < ROUNDS; r++) {
      for (int i = 0; i < tasks.size(); i++) {
        results.get(i).add(ClosedLoop.run(tasks.get(i), callers, 0, seconds, false));
      }
    }
    ClosedLoop.Result base = median(results.get(0));
    report(names.get(0) + " (median of " + ROUNDS + ")", base, null);
    for (int i = 1; i < tasks.size(); i++) {
      report(
          names.get(i) + " (median of " + ROUNDS + ")", median(results.get(i)), base.perSecond());
    }
  }

  /** The baseline ran before and after the measured one; the ratio is against their mean. */
  private static final int ROUNDS = 5;

  /**
   * Both tasks in turn on {@code callers} threads, {@link #ROUNDS} rounds of {@code seconds} each
   * after one warm-up of each, and the ratio of the medians. Taking turns puts both under the same
   * passing load (JIT, GC, the machine's other work), which one long run each, one after the other,
   * does not: on the shared 2-core VM back-to-back baselines differed by 40 %.
   */
  private static void alternate(
      String baseName,
      ClosedLoop.Task base,
      String name,
      ClosedLoop.Task measured,
      int callers,
      int warmup,
      int seconds)
      throws InterruptedException {
    ClosedLoop.run(base, callers, warmup, 1, false);
    ClosedLoop.run(measured, callers, warmup, 1, false);
    List<ClosedLoop.Result> bases = new ArrayList<>();
    List<ClosedLoop.Result> tried = new ArrayList<>();
    for (int r = 0; r < ROUNDS; r++) {
      bases.add(ClosedLoop.run(base, callers, 0, seconds, false));
      tried.add(ClosedLoop.run(measured, callers, 0, seconds, false));
    }
    ClosedLoop.Result baseMedian = median(bases);
    report(baseName + " (median of " + ROUNDS + ")", baseMedian, null);
    report(name + " (median of " + ROUNDS + ")", median(tried), baseMedian.perSecond());
  }

  /**
   * {@code base} and {@code measured} taking turns on one thread for {@code seconds}, after {@code
   * warmup} seconds of the same; each call timed into its own histogram. The rate reported is one
   * call's share of the loop (1 / its mean time).
   */
  private static void interleaved(
      String baseName,
      ClosedLoop.Task base,
      String name,
      ClosedLoop.Task measured,
      int warmup,
      int seconds)
      throws Exception {
    Histogram baseTimes = new Histogram(60_000_000_000L, 3);
    Histogram measuredTimes = new Histogram(60_000_000_000L, 3);
    long end = System.nanoTime() + warmup * 1_000_000_000L;
    while (System.nanoTime() < end) {
      base.run();
      measured.run();
    }
    end = System.nanoTime() + seconds * 1_000_000_000L;
    boolean baseFirst = true;
    while (System.nanoTime() < end) {
      // Alternate which goes first, so that neither always follows the other.
      ClosedLoop.Task first = baseFirst ? base : measured;
      ClosedLoop.Task second = baseFirst ? measured : base;
      long t0 = System.nanoTime();
      first.run();
      long t1 = System.nanoTime();
      second.run();
      long t2 = System.nanoTime();
      (baseFirst ? baseTimes : measuredTimes).recordValue(t1 - t0);
      (baseFirst ? measuredTimes : baseTimes).recordValue(t2 - t1);
      baseFirst = !baseFirst;
    }
    double baseRate = 1e9 / baseTimes.getMean();
    report(baseName, new ClosedLoop.Result(baseRate, baseTimes, 0), null);
    report(name, new ClosedLoop.Result(1e9 / measuredTimes.getMean(), measuredTimes, 0), baseRate);
  }

  private static ClosedLoop.Result median(List<ClosedLoop.Result> results) {
    List<ClosedLoop.Result> sorted = new ArrayList<>(results);
    sorted.sort(java.util.Comparator.comparingDouble(ClosedLoop.Result::perSecond));
    return sorted.get(sorted.size() / 2);
  }

  private static void pair(
      String baseName,
      ClosedLoop.Result before,
      ClosedLoop.Result after,
      String name,
      ClosedLoop.Result measured) {
    report(baseName, before, null);
    report(baseName + " (again)", after, null);
    report(name, measured, (before.perSecond() + after.perSecond()) / 2);
  }

  private static void report(String name, ClosedLoop.Result r, Double baseline) {
    System.out.println(
        String.format(
            Locale.ROOT,
            "%-36s %9.0f ops/s  p50 %7.3f ms  p99 %7.3f ms  errors %d%s",
            name,
            r.perSecond(),
            r.p50Millis(),
            r.p99Millis(),
            r.errors(),
            baseline == null
                ? ""
                : String.format(
                    Locale.ROOT, "  = %.0f %% of the baseline", 100 * r.perSecond() / baseline)));
  }

  private static HikariDataSource pool(Properties s) {
    HikariConfig c = new HikariConfig();
    String bench = s.getProperty("COHORT_PG_BENCH_URL");
    c.setJdbcUrl(bench != null ? bench : s.getProperty("COHORT_PG_PRIMARY_URL"));
    c.setUsername(s.getProperty("COHORT_PG_USER"));
    c.setPassword(s.getProperty("COHORT_PG_PASSWORD", ""));
    c.setMaximumPoolSize(64);
    c.setConnectionTimeout(10_000);
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
    if (p.getProperty("COHORT_PG_PRIMARY_URL") == null
        || p.getProperty("COHORT_REDIS_URL") == null) {
      throw new IllegalStateException(
          "no PostgreSQL/Redis settings in "
              + file.toAbsolutePath()
              + "; run `scripts/services up`");
    }
    return p;
  }
}
