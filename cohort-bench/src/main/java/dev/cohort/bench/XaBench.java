package dev.cohort.bench;

import com.atomikos.datasource.ResourceException;
import com.atomikos.datasource.xa.XATransactionalResource;
import com.atomikos.icatch.config.Configuration;
import com.atomikos.icatch.jta.UserTransactionManager;
import dev.cohort.coordinator.spi.TransactionStore;
import dev.cohort.store.jdbc.FlushObserver;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import dev.cohort.xa.XaHooks;
import dev.cohort.xa.XaPool;
import dev.cohort.xa.XaTransactionManager;
import jakarta.transaction.TransactionManager;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import javax.sql.XAConnection;
import javax.sql.XADataSource;
import javax.transaction.xa.XAResource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.xa.PGXADataSource;

/**
 * XA transfer between an account row in MariaDB and one in PostgreSQL (each caller its own pair of
 * rows, so that row locks do not serialize the callers), committed by Cohort's transaction manager,
 * by Atomikos and by Narayana in the same run, with the same pool ({@link XaPool}, which enlists in
 * any Jakarta transaction manager) and every manager's durable log on: Cohort on SQLite
 * (synchronous=FULL), Atomikos on its file log, Narayana on its file object store (sync on).
 *
 * <p>Arguments (all optional): {@code seconds=5 warmup=3 rounds=3 callers=1,16,64
 * tms=cohort,atomikos,narayana (or cohort-serial) services=target/services.properties
 * dir=target/xa-bench}. Every manager runs once unrecorded first (JIT), then per caller count
 * {@code rounds} times, interleaved and in rotating order; the summary gives each cell's median and
 * range over the rounds and Cohort's ratio to the faster of the others per round (median, range):
 * on a shared machine one run per cell swung by 2-3x. MariaDB and PostgreSQL settings come from the
 * services file {@code scripts/services up} writes, or from COHORT_MARIADB_* and COHORT_PG_*
 * environment variables.
 */
public final class XaBench {
  private XaBench() {}

  private static final String NAMESPACE = "xa_bench";
  private static final long START_CENTS = 1_000_000_000L;

  /** A transaction manager under test and how to stop it; {@code probe} only for Cohort's. */
  private record Manager(
      String name, TransactionManager tm, AutoCloseable closer, PhaseProbe probe) {}

  /**
   * Where a Cohort transaction's time goes, on the caller's thread: the work (begin to commit),
   * phase one with the logged decision (until the decision is durable), phase two; and what the log
   * did (flushes, records per flush, time per flush). Read over the measured window only.
   */
  private static final class PhaseProbe implements XaHooks, FlushObserver {
    @SuppressWarnings("ThreadLocalUsage")
    private final ThreadLocal<long[]> marks = ThreadLocal.withInitial(() -> new long[3]);

    private final LongAdder work = new LongAdder();
    private final LongAdder decided = new LongAdder();
    private final LongAdder phaseTwo = new LongAdder();
    private final LongAdder transactions = new LongAdder();
    private final LongAdder flushes = new LongAdder();
    private final LongAdder records = new LongAdder();
    private final LongAdder flushNanos = new LongAdder();
    private volatile boolean on;

    @Override
    public void moved(String kind, String from, String to) {
      if (!on || !kind.equals("tx")) {
        return;
      }
      long now = System.nanoTime();
      long[] m = marks.get();
      switch (to) {
        case "active" -> m[0] = now;
        case "preparing" -> m[1] = now;
        case "committing" -> m[2] = now;
        case "committed" -> {
          if (m[0] != 0 && m[1] > m[0] && m[2] > m[1]) {
            work.add(m[1] - m[0]);
            decided.add(m[2] - m[1]);
            phaseTwo.add(now - m[2]);
            transactions.increment();
          }
          m[0] = 0;
        }
        default -> {}
      }
    }

    @Override
    public void onFlush(int units, Duration took) {
      if (on) {
        flushes.increment();
        records.add(units);
        flushNanos.add(took.toNanos());
      }
    }

    void start() {
      for (LongAdder a : List.of(work, decided, phaseTwo, transactions, flushes, records)) {
        a.reset();
      }
      flushNanos.reset();
      on = true;
    }

    void stop() {
      on = false;
    }

    String report() {
      double n = Math.max(1, transactions.sum());
      double f = Math.max(1, flushes.sum());
      return String.format(
          Locale.ROOT,
          "          per transaction: work %.2f ms, prepare + decision %.2f ms, phase two %.2f ms;"
              + " log: %.2f flushes, %.1f records and %.2f ms per flush",
          work.sum() / n / 1e6,
          decided.sum() / n / 1e6,
          phaseTwo.sum() / n / 1e6,
          flushes.sum() / n,
          records.sum() / f,
          flushNanos.sum() / f / 1e6);
    }
  }

  /**
   * Time on the caller's thread of every manager alike: the work (begin and the two updates) and
   * the commit() call, per transaction over the measured window. Unlike {@link PhaseProbe} it needs
   * nothing from the manager, so the three compare.
   */
  private static final class CallerClock {
    private final LongAdder work = new LongAdder();
    private final LongAdder commit = new LongAdder();
    private final LongAdder transactions = new LongAdder();
    private volatile boolean on;

    void add(long workNanos, long commitNanos) {
      if (on) {
        work.add(workNanos);
        commit.add(commitNanos);
        transactions.increment();
      }
    }

    void start() {
      work.reset();
      commit.reset();
      transactions.reset();
      on = true;
    }

    void stop() {
      on = false;
    }

    double workMillis() {
      return (double) work.sum() / Math.max(1.0, (double) transactions.sum()) / 1e6;
    }

    double commitMillis() {
      return (double) commit.sum() / Math.max(1.0, (double) transactions.sum()) / 1e6;
    }
  }

  /** One measured cell: a manager at a caller count in one round. */
  private record Cell(
      int round,
      String tm,
      int callers,
      double perSecond,
      double p99,
      double work,
      double commit) {}

  public static void main(String[] args) throws Exception {
    Properties a = ClosedLoop.arguments(args);
    int seconds = Integer.parseInt(a.getProperty("seconds", "5"));
    int warmup = Integer.parseInt(a.getProperty("warmup", "3"));
    int rounds = Integer.parseInt(a.getProperty("rounds", "3"));
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds=" + rounds + ": at least 1");
    }
    List<Integer> callers = new ArrayList<>();
    for (String c : a.getProperty("callers", "1,16,64").split(",", -1)) {
      callers.add(Integer.parseInt(c.trim()));
    }
    List<String> tms = new ArrayList<>();
    for (String t : a.getProperty("tms", "cohort,atomikos,narayana").split(",", -1)) {
      tms.add(t.trim());
    }
    Path dir = Path.of(a.getProperty("dir", "target/xa-bench"));
    Properties services =
        loadServices(Path.of(a.getProperty("services", "target/services.properties")));
    int maxCallers = callers.stream().mapToInt(Integer::intValue).max().orElse(1);

    String mariaUrl = setting(services, "COHORT_MARIADB_PRIMARY_URL");
    String mariaUser = setting(services, "COHORT_MARIADB_USER");
    String mariaPassword = setting(services, "COHORT_MARIADB_PASSWORD");
    String pgUrl = setting(services, "COHORT_PG_PRIMARY_URL");
    String pgUser = setting(services, "COHORT_PG_USER");
    String pgPassword = setting(services, "COHORT_PG_PASSWORD");
    String mariaBench = mariaUrl.substring(0, mariaUrl.lastIndexOf('/') + 1) + NAMESPACE;
    String pgBench = pgUrl + (pgUrl.contains("?") ? "&" : "?") + "currentSchema=" + NAMESPACE;
    prepare(mariaUrl, mariaUser, mariaPassword, "CREATE DATABASE IF NOT EXISTS " + NAMESPACE);
    prepare(pgUrl, pgUser, pgPassword, "CREATE SCHEMA IF NOT EXISTS " + NAMESPACE);
    fill(mariaBench, mariaUser, mariaPassword, maxCallers);
    fill(pgBench, pgUser, pgPassword, maxCallers);

    MariaDbDataSource mariaXa = new MariaDbDataSource(mariaBench);
    mariaXa.setUser(mariaUser);
    mariaXa.setPassword(mariaPassword);
    PGXADataSource pgXa = new PGXADataSource();
    pgXa.setUrl(pgBench);
    pgXa.setUser(pgUser);
    pgXa.setPassword(pgPassword);

    Files.createDirectories(dir);
    System.out.printf(
        Locale.ROOT,
        "cohort XA bench: MariaDB row -1, PostgreSQL row +1 per transaction; %d rounds, each manager"
            + " %ds measured after %ds warm-up per round, the order rotating; %d cores; java %s%n",
        rounds,
        seconds,
        warmup,
        Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    // Atomikos logs through java.util.logging, Narayana through SLF4J: both at warnings only, as
    // Cohort's manager, so that no manager pays for per-transaction INFO lines.
    java.util.logging.Logger atomikosLog = java.util.logging.Logger.getLogger("com.atomikos");
    atomikosLog.setLevel(java.util.logging.Level.WARNING);
    System.setProperty("org.slf4j.simpleLogger.log.com.arjuna", "warn");
    List<Manager> managers = new ArrayList<>();
    for (String name : tms) {
      managers.add(open(name, dir));
    }
    List<Cell> cells = new ArrayList<>();
    try {
      // One unrecorded run of each first, so that no manager's first measured cell pays for the
      // JIT compiling its code.
      for (Manager m : managers) {
        var unused = cell(m, mariaXa, pgXa, callers.getFirst(), warmup, 1);
      }
      System.out.printf(
          Locale.ROOT,
          "%5s %-13s %7s %8s %8s %8s %6s %8s %9s%n",
          "round",
          "tm",
          "callers",
          "tx/s",
          "p50 ms",
          "p99 ms",
          "errors",
          "work ms",
          "commit ms");
      for (int c : callers) {
        for (int round = 1; round <= rounds; round++) {
          // Each round starts with the next manager, so that none always runs first (or last)
          // after the cell of another caller count.
          for (int i = 0; i < managers.size(); i++) {
            Manager m = managers.get((i + round - 1) % managers.size());
            Measured r = cell(m, mariaXa, pgXa, c, warmup, seconds);
            cells.add(
                new Cell(
                    round,
                    m.name(),
                    c,
                    r.result().perSecond(),
                    r.result().p99Millis(),
                    r.clock().workMillis(),
                    r.clock().commitMillis()));
            System.out.printf(
                Locale.ROOT,
                "%5d %-13s %7d %8.0f %8.2f %8.2f %6d %8.2f %9.2f%n",
                round,
                m.name(),
                c,
                r.result().perSecond(),
                r.result().p50Millis(),
                r.result().p99Millis(),
                r.result().errors(),
                r.clock().workMillis(),
                r.clock().commitMillis());
            if (m.probe() != null) {
              System.out.println(m.probe().report());
            }
          }
        }
      }
    } finally {
      for (Manager m : managers) {
        m.closer().close();
      }
    }
    summarize(cells, tms, callers);
    atomikosLog.fine("bench finished");
    System.exit(0); // Atomikos and Narayana leave non-daemon threads behind
  }

  private record Measured(ClosedLoop.Result result, CallerClock clock) {}

  /** One closed-loop run of {@code m} with a fresh pair of pools. */
  private static Measured cell(
      Manager m, MariaDbDataSource mariaXa, PGXADataSource pgXa, int c, int warmup, int seconds)
      throws Exception {
    try (XaPool maria = XaPool.builder("bench-maria", mariaXa, m.tm()).maxSize(c).build();
        XaPool pg = XaPool.builder("bench-pg", pgXa, m.tm()).maxSize(c).build()) {
      if (m.name().equals("atomikos")) {
        atomikosRecovers(maria, mariaXa);
        atomikosRecovers(pg, pgXa);
      }
      AtomicInteger rows = new AtomicInteger();
      ThreadLocal<Integer> row = ThreadLocal.withInitial(rows::getAndIncrement);
      TransactionManager tm = m.tm();
      CallerClock clock = new CallerClock();
      ClosedLoop.Result r =
          ClosedLoop.run(
              () -> {
                long begin = System.nanoTime();
                tm.begin();
                try {
                  add(maria, row.get(), -1);
                  add(pg, row.get(), 1);
                } catch (SQLException | RuntimeException e) {
                  tm.rollback();
                  throw e;
                }
                long commit = System.nanoTime();
                tm.commit();
                clock.add(commit - begin, System.nanoTime() - commit);
              },
              c,
              warmup,
              seconds,
              false,
              () -> {
                clock.start();
                if (m.probe() != null) {
                  m.probe().start();
                }
              },
              () -> {
                clock.stop();
                if (m.probe() != null) {
                  m.probe().stop();
                }
              });
      return new Measured(r, clock);
    }
  }

  /**
   * Per caller count and manager: the median of the rounds and their range; then each Cohort
   * variant against the faster of the others in the same round (neighbours in time, so a change of
   * the machine's load between rounds falls on both), as the median of the rounds' ratios and its
   * range.
   */
  private static void summarize(List<Cell> cells, List<String> tms, List<Integer> callers) {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "%7s %-13s %9s %15s %7s %10s %8s %9s%n",
        "callers",
        "tm",
        "tx/s med",
        "tx/s min-max",
        "spread",
        "p99 ms med",
        "work ms",
        "commit ms");
    for (int c : callers) {
      for (String tm : tms) {
        List<Cell> mine =
            cells.stream().filter(x -> x.callers() == c && x.tm().equals(tm)).toList();
        List<Double> rate = mine.stream().map(Cell::perSecond).toList();
        System.out.printf(
            Locale.ROOT,
            "%7d %-13s %9.0f %7.0f-%-7.0f %7.2f %10.2f %8.2f %9.2f%n",
            c,
            tm,
            Stats.median(rate),
            Stats.min(rate),
            Stats.max(rate),
            Stats.max(rate) / Math.max(1e-9, Stats.min(rate)),
            Stats.median(mine.stream().map(Cell::p99).toList()),
            Stats.median(mine.stream().map(Cell::work).toList()),
            Stats.median(mine.stream().map(Cell::commit).toList()));
      }
    }
    if (tms.contains("cohort")) {
      for (String variant : tms) {
        if (variant.startsWith("cohort-")) {
          System.out.println();
          System.out.printf(
              Locale.ROOT,
              "%7s %-24s %9s %16s%n",
              "callers",
              "cohort / " + variant,
              "med",
              "rounds min-max");
          for (int c : callers) {
            List<Double> ratios = roundRatios(cells, c, "cohort", List.of(variant));
            System.out.printf(
                Locale.ROOT,
                "%7d %-24s %9.2f %8.2f-%-7.2f%n",
                c,
                "",
                Stats.median(ratios),
                Stats.min(ratios),
                Stats.max(ratios));
          }
        }
      }
    }
    List<String> others = tms.stream().filter(t -> !t.startsWith("cohort")).toList();
    if (others.isEmpty()) {
      return;
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "%7s %-13s %26s %16s %18s%n",
        "callers",
        "tm",
        "tx/s / faster other, med",
        "rounds min-max",
        "ratio of medians");
    for (int c : callers) {
      for (String tm : tms) {
        if (!tm.startsWith("cohort")) {
          continue;
        }
        List<Double> ratios = roundRatios(cells, c, tm, others);
        double fasterMedian =
            others.stream()
                .mapToDouble(o ->
                    Stats.median(
                        cells.stream()
                            .filter(x -> x.callers() == c && x.tm().equals(o))
                            .map(Cell::perSecond)
                            .toList()))
                .max()
                .orElse(Double.NaN);
        double mineMedian =
            Stats.median(
                cells.stream()
                    .filter(x -> x.callers() == c && x.tm().equals(tm))
                    .map(Cell::perSecond)
                    .toList());
        System.out.printf(
            Locale.ROOT,
            "%7d %-13s %26.2f %8.2f-%-7.2f %18.2f%n",
            c,
            tm,
            Stats.median(ratios),
            Stats.min(ratios),
            Stats.max(ratios),
            mineMedian / fasterMedian);
      }
    }
  }

  /** Per round at {@code c} callers: {@code tm}'s tx/s over the fastest of {@code others}. */
  private static List<Double> roundRatios(List<Cell> cells, int c, String tm, List<String> others) {
    List<Double> ratios = new ArrayList<>();
    for (int round : cells.stream().map(Cell::round).distinct().toList()) {
      double faster =
          cells.stream()
              .filter(x -> x.round() == round && x.callers() == c && others.contains(x.tm()))
              .mapToDouble(Cell::perSecond)
              .max()
              .orElse(Double.NaN);
      cells.stream()
          .filter(x -> x.round() == round && x.callers() == c && x.tm().equals(tm))
          .forEach(x -> ratios.add(x.perSecond() / faster));
    }
    return ratios;
  }

  private static Manager open(String name, Path dir) throws Exception {
    switch (name) {
      case "cohort", "cohort-serial" -> {
        // cohort-serial: the same manager calling the resources one after the other, to show what
        // the parallel prepare and commit are worth (an A/B in the same rounds).
        PhaseProbe probe = new PhaseProbe();
        TransactionStore store = JdbcTransactionStore.sqlite(dir.resolve(name + "-log.db"), probe);
        XaTransactionManager tm =
            XaTransactionManager.builder(store)
                .nodeId("bench-" + name)
                .branchesInParallel(!name.equals("cohort-serial"))
                .hooks(probe)
                .closeStoreOnClose(true)
                .build();
        return new Manager(name, tm, tm, probe);
      }
      case "atomikos" -> {
        // Atomikos reads these before its first use; system properties override its defaults.
        System.setProperty("com.atomikos.icatch.log_base_dir", dir.resolve("atomikos").toString());
        System.setProperty("com.atomikos.icatch.tm_unique_name", "bench");
        System.setProperty("com.atomikos.icatch.max_actives", "10000");
        System.setProperty("com.atomikos.icatch.enable_logging", "true");
        UserTransactionManager tm = new UserTransactionManager();
        tm.setForceShutdown(true);
        tm.init();
        return new Manager(name, tm, tm::close, null);
      }
      case "narayana" -> {
        String store = dir.resolve("narayana").toString();
        System.setProperty("ObjectStoreEnvironmentBean.objectStoreDir", store);
        System.setProperty("com.arjuna.ats.arjuna.objectstore.objectStoreDir", store);
        System.setProperty("CoreEnvironmentBean.nodeIdentifier", "bench");
        TransactionManager tm = com.arjuna.ats.jta.TransactionManager.transactionManager();
        return new Manager(name, tm, () -> {}, null);
      }
      default ->
          throw new IllegalArgumentException(
              "tms: unknown manager '" + name + "'; use cohort, cohort-serial, atomikos, narayana");
    }
  }

  /** Atomikos refuses to enlist a resource none of its registered resources can recover. */
  private static void atomikosRecovers(XaPool pool, XADataSource ds) {
    Configuration.removeResource(pool.name());
    Configuration.addResource(new AtomikosResource(pool, ds));
  }

  /** An {@link XaPool} as an Atomikos recoverable resource. */
  private static final class AtomikosResource extends XATransactionalResource {
    private final XaPool pool;
    private final XADataSource ds;
    private XAConnection recovery;

    AtomikosResource(XaPool pool, XADataSource ds) {
      super(pool.name());
      this.pool = pool;
      this.ds = ds;
    }

    @Override
    protected XAResource refreshXAConnection() {
      try {
        if (recovery != null) {
          recovery.close();
        }
        recovery = ds.getXAConnection();
        return recovery.getXAResource();
      } catch (SQLException e) {
        throw new ResourceException("recovery connection of " + pool.name() + " failed", e);
      }
    }

    @Override
    public boolean usesXAResource(XAResource resource) {
      return pool.owns(resource);
    }
  }

  private static void add(DataSource ds, int row, long delta) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement s =
            c.prepareStatement("UPDATE account SET cents = cents + ? WHERE id = ?")) {
      s.setLong(1, delta);
      s.setInt(2, row);
      if (s.executeUpdate() != 1) {
        throw new IllegalStateException("no account row " + row);
      }
    }
  }

  private static void prepare(String url, String user, String password, String sql)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static void fill(String url, String user, String password, int rows) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS account");
      s.execute("CREATE TABLE account (id INT PRIMARY KEY, cents BIGINT NOT NULL)");
      for (int i = 0; i < rows; i++) {
        s.execute("INSERT INTO account VALUES (" + i + ", " + START_CENTS + ")");
      }
    }
  }

  private static String setting(Properties services, String key) {
    String env = System.getenv(key);
    String value = env != null ? env : services.getProperty(key);
    if (value == null) {
      throw new IllegalStateException(
          key + " is not set: run scripts/services up (COHORT_SERVICES=postgres,mariadb) first");
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
