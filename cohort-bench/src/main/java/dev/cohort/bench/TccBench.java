package dev.cohort.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cohort.api.BranchContext;
import dev.cohort.api.BranchId;
import dev.cohort.api.Gid;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.TccParticipant;
import dev.cohort.jdbc.Database;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import dev.cohort.store.jdbc.WriteStats;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.LongAdder;

/**
 * Embedded TCC with two in-process no-op branches, against a baseline that calls the same branches
 * (try, try, confirm, confirm) without the engine. Prints throughput and latency per log and caller
 * count, and the engine/baseline ratios.
 *
 * <p>Arguments (all optional): {@code workload=tcc|empty seconds=5 warmup=2 callers=1,16,64
 * logs=sqlite,postgres writers=2 baseline=true virtual=false textIndexes=false
 * services=target/services.properties}; {@code virtual} runs the callers on virtual threads; {@code
 * writers} is the number of group-commit threads of the PostgreSQL log. PostgreSQL settings come
 * from the services file that {@code scripts/services up} writes, or from COHORT_PG_* environment
 * variables.
 */
public final class TccBench {
  private TccBench() {}

  /** Counts calls so the JIT cannot drop the no-op branches. */
  private static final class NoOp implements TccParticipant {
    final LongAdder calls = new LongAdder();

    @Override
    public void tryReserve(BranchContext context) {
      calls.increment();
    }

    @Override
    public void confirm(BranchContext context) {
      calls.increment();
    }

    @Override
    public void cancel(BranchContext context) {
      calls.increment();
    }
  }

  private record Result(double perSecond, double p50Micros, double p99Micros, long errors) {}

  public static void main(String[] args) throws Exception {
    Properties a = ClosedLoop.arguments(args);
    int seconds = Integer.parseInt(a.getProperty("seconds", "5"));
    int warmup = Integer.parseInt(a.getProperty("warmup", "2"));
    List<Integer> callers = new ArrayList<>();
    for (String c : a.getProperty("callers", "1,16,64").split(",", -1)) {
      callers.add(Integer.parseInt(c.trim()));
    }
    List<String> logs = List.of(a.getProperty("logs", "sqlite,postgres").split(",", -1));
    int writers = Integer.parseInt(a.getProperty("writers", "2"));
    // calls kept per branch and operation in the attempt history (PostgreSQL); 0 writes none
    int attemptsKept =
        Integer.parseInt(
            a.getProperty(
                "attempts", Integer.toString(JdbcTransactionStore.DEFAULT_ATTEMPTS_KEPT)));
    boolean virtualCallers = Boolean.parseBoolean(a.getProperty("virtual", "false"));
    // the log's optional text indexes (the server keeps them by default, an embedded store not)
    boolean textIndexes = Boolean.parseBoolean(a.getProperty("textIndexes", "false"));
    boolean awaitFinal = Boolean.parseBoolean(a.getProperty("awaitFinalWrite", "true"));
    boolean withBaseline = Boolean.parseBoolean(a.getProperty("baseline", "true"));
    // tcc: two no-op branches in one call; tcc-pa: the same with presumed abort (no write before
    // the tries); empty: open + commit of a transaction without branches
    String workload = a.getProperty("workload", "tcc");
    if (!List.of("tcc", "tcc-pa", "empty").contains(workload)) {
      throw new IllegalArgumentException("workload must be tcc, tcc-pa or empty, not " + workload);
    }
    Properties services =
        loadServices(Path.of(a.getProperty("services", "target/services.properties")));

    System.out.printf(
        Locale.ROOT,
        "cohort TCC bench: 2 no-op in-process branches; %ds measured after %ds warm-up; %d cores;"
            + " java %s%n",
        seconds,
        warmup,
        Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    System.out.printf(
        Locale.ROOT,
        "%-9s %7s %12s %10s %10s %14s %10s %10s %12s%n",
        "log",
        "callers",
        "engine tx/s",
        "p50 us",
        "p99 us",
        "baseline tx/s",
        "base p50",
        "base p99",
        "engine/base");

    NoOp a1 = new NoOp();
    NoOp b1 = new NoOp();
    Gid gid = Gid.of("baseline");
    BranchContext ca = new BranchContext(gid, BranchId.of("b1"), "", 1);
    BranchContext cb = new BranchContext(gid, BranchId.of("b2"), "", 1);
    ClosedLoop.Task baseline =
        () -> {
          a1.tryReserve(ca);
          b1.tryReserve(cb);
          a1.confirm(ca);
          b1.confirm(cb);
        };

    for (String log : logs) {
      try (LogUnderTest under = open(log.trim(), services, writers, attemptsKept, textIndexes)) {
        Coordinator coordinator =
            Coordinator.builder(under.store())
                .options(CoordinatorOptions.newBuilder().awaitFinalWrite(awaitFinal).build())
                .build();
        coordinator.registerTcc("a", new NoOp()).registerTcc("b", new NoOp()).start();
        try {
          ClosedLoop.Task engine =
              () -> {
                Outcome o =
                    switch (workload) {
                      case "empty" ->
                          coordinator.commit(coordinator.open(Mode.TCC, null, null).gid());
                      case "tcc-pa" ->
                          coordinator
                              .tcc()
                              .presumedAbort()
                              .branch("a", "")
                              .branch("b", "")
                              .execute();
                      default -> coordinator.tcc().branch("a", "").branch("b", "").execute();
                    };
                if (!o.committed()) {
                  throw new IllegalStateException("not committed: " + o);
                }
              };
          for (int n : callers) {
            WriteStats before = under.store().writeStats();
            Result e = run(engine, n, warmup, seconds, virtualCallers);
            WriteStats after = under.store().writeStats();
            Result b =
                withBaseline
                    ? run(baseline, n, 1, Math.min(seconds, 2), virtualCallers)
                    : new Result(1, 0, 0, 0);
            System.out.printf(
                Locale.ROOT,
                "%-9s %7d %12.0f %10.0f %10.0f %14.0f %10.2f %10.2f %12.6f%s%n",
                log,
                n,
                e.perSecond(),
                e.p50Micros(),
                e.p99Micros(),
                b.perSecond(),
                b.p50Micros(),
                b.p99Micros(),
                e.perSecond() / b.perSecond(),
                e.errors() > 0 ? "  (" + e.errors() + " errors)" : "");
            long commits = after.commits() - before.commits();
            long units = after.units() - before.units();
            System.out.printf(
                Locale.ROOT,
                "%-9s %7s   group commit: %.1f log writes per commit, %.2f ms per commit%n",
                "",
                "",
                commits == 0 ? 0.0 : (double) units / commits,
                commits == 0 ? 0.0 : after.busy().minus(before.busy()).toNanos() / 1e6 / commits);
          }
        } finally {
          coordinator.close();
        }
      }
    }
  }

  private static Result run(
      ClosedLoop.Task tx, int callers, int warmupSeconds, int seconds, boolean virtual)
      throws InterruptedException {
    ClosedLoop.Result r = ClosedLoop.run(tx, callers, warmupSeconds, seconds, virtual);
    return new Result(r.perSecond(), r.p50Millis() * 1000, r.p99Millis() * 1000, r.errors());
  }

  private record LogUnderTest(JdbcTransactionStore store, HikariDataSource resource)
      implements AutoCloseable {
    @Override
    public void close() {
      store.close();
      if (resource != null) {
        resource.close();
      }
    }
  }

  private static LogUnderTest open(
      String log, Properties services, int writers, int attemptsKept, boolean textIndexes)
      throws Exception {
    switch (log) {
      case "sqlite" -> {
        Path dir = Files.createTempDirectory("cohort-bench");
        return new LogUnderTest(
            JdbcTransactionStore.sqliteBuilder(dir.resolve("log.db"))
                .textIndexes(textIndexes)
                .build(),
            null);
      }
      case "postgres" -> {
        String url = setting(services, "COHORT_PG_PRIMARY_URL");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(setting(services, "COHORT_PG_USER"));
        config.setPassword(services.getProperty("COHORT_PG_PASSWORD", ""));
        config.setMaximumPoolSize(writers + 4);
        config.setPoolName("bench-pg");
        config.addDataSourceProperty("currentSchema", "cohort_bench");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        HikariDataSource ds = new HikariDataSource(config);
        try (Connection c = ds.getConnection();
            Statement s = c.createStatement()) {
          s.execute("DROP SCHEMA IF EXISTS cohort_bench CASCADE");
          s.execute("CREATE SCHEMA cohort_bench");
        }
        return new LogUnderTest(
            JdbcTransactionStore.builder(ds, Database.POSTGRESQL)
                .writerThreads(writers)
                .attemptsKept(attemptsKept)
                .textIndexes(textIndexes)
                .build(),
            ds);
      }
      default ->
          throw new IllegalArgumentException("unknown log '" + log + "'; use sqlite or postgres");
    }
  }

  private static String setting(Properties services, String key) {
    String value = System.getenv(key);
    if (value == null) {
      value = services.getProperty(key);
    }
    if (value == null) {
      throw new IllegalStateException(
          key + " is not set; run `scripts/services up` or export " + key);
    }
    return value;
  }

  private static Properties loadServices(Path file) throws IOException {
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      }
    }
    return p;
  }
}
