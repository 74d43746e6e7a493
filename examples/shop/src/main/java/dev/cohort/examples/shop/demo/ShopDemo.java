package dev.cohort.examples.shop.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.examples.shop.ShopService;
import dev.cohort.examples.shop.ShopServices;
import dev.cohort.examples.shop.ShopSettings;
import dev.cohort.examples.shop.common.Seed;
import dev.cohort.protocol.CallSignature;
import dev.cohort.server.CohortServer;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * {@code ./cohort demo}: the coordinator server on an SQLite log and the five shop services (each
 * on its own SQLite file) in this JVM, then a few hundred purchases in each mode with faults armed
 * through the fault switch as they run, the invariants checked once all is quiet, a table, and the
 * URLs to look at.
 */
public final class ShopDemo {
  static final int DEFAULT_PURCHASES = 200;
  static final int CONCURRENCY = 4;
  static final int FAULT_EVERY = 8;

  /** The coordinator gives up on a participant call after this; hanging faults last longer. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  static final long HANG_MILLIS = 3_000;
  static final Duration QUIET_WAIT = Duration.ofSeconds(90);
  static final Duration PROGRESS_EVERY = Duration.ofMillis(250);

  private ShopDemo() {}

  /** The modes in the order the demo runs them. */
  enum Mode {
    TCC("tcc", "TCC"),
    SAGA("saga", "saga"),
    PLAIN("plain", "without Cohort");

    final String code;
    final String label;

    Mode(String code, String label) {
      this.code = code;
      this.label = label;
    }

    boolean cohort() {
      return this != PLAIN;
    }

    /** The faults armed while this mode runs, as {@code POST /admin/faults} bodies. */
    List<String> faults() {
      return switch (this) {
        case TCC ->
            List.of(
                "{\"kind\":\"fail\",\"op\":\"try\"}",
                "{\"kind\":\"fail\",\"op\":\"confirm\",\"count\":2}",
                "{\"kind\":\"latency\",\"count\":5,\"millis\":100}",
                "{\"kind\":\"timeout\",\"op\":\"try\",\"millis\":" + HANG_MILLIS + "}",
                "{\"kind\":\"timeout\",\"op\":\"confirm\",\"millis\":" + HANG_MILLIS + "}",
                "{\"kind\":\"cancel-before-try\",\"millis\":" + HANG_MILLIS + "}",
                "{\"kind\":\"duplicate-confirm\"}");
        case SAGA ->
            List.of(
                "{\"kind\":\"fail\",\"op\":\"action\"}",
                "{\"kind\":\"fail\",\"op\":\"compensate\"}",
                "{\"kind\":\"latency\",\"count\":5,\"millis\":100}",
                "{\"kind\":\"timeout\",\"op\":\"action\",\"millis\":" + HANG_MILLIS + "}");
        case PLAIN ->
            List.of(
                "{\"kind\":\"fail\"}",
                "{\"kind\":\"latency\",\"count\":5,\"millis\":100}",
                "{\"kind\":\"timeout\",\"millis\":" + HANG_MILLIS + "}");
      };
    }
  }

  /** What one mode's batch came to. */
  record Result(
      Mode mode,
      int purchases,
      long committed,
      long rolledBack,
      int failedThenResolved,
      int unresolved,
      int faults,
      List<Invariants.Check> checks,
      boolean quiet) {
    long broken() {
      return checks.stream().filter(c -> !c.holds()).count();
    }
  }

  public static int run(List<String> args, PrintWriter out) throws Exception {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    long begin = System.nanoTime();
    boolean exit = args.contains("--exit");
    int purchases =
        Integer.parseInt(option(args, "--purchases", String.valueOf(DEFAULT_PURCHASES)));
    Path dir = Path.of(option(args, "--dir", "target/cohort-demo"));
    int port = Integer.parseInt(option(args, "--port", "7070"));
    recreate(dir);

    byte[] keyBytes = new byte[24];
    new SecureRandom().nextBytes(keyBytes);
    String key = HexFormat.of().formatHex(keyBytes);
    String token = key.substring(0, 24);
    CallSignature signer =
        new CallSignature(
            Map.of("shop", key.getBytes(StandardCharsets.UTF_8)),
            "shop",
            CallSignature.DEFAULT_MAX_SKEW,
            Clock.systemUTC());
    CohortServer server =
        CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("log.db")))
            .port(port)
            .token(token)
            .options(
                CoordinatorOptions.newBuilder()
                    .initialBackoff(Duration.ofMillis(100))
                    .maxBackoff(Duration.ofSeconds(1))
                    .pollInterval(Duration.ofMillis(200))
                    .build())
            .httpParticipant(
                HttpParticipant.builder().signer(signer).callTimeout(CALL_TIMEOUT).build())
            .build()
            .start();
    String coordinator = "http://127.0.0.1:" + server.port();
    ShopSettings settings =
        new ShopSettings(
            coordinator,
            token,
            key,
            ShopSettings.sqliteFiles(dir),
            null,
            null,
            true,
            Map.of(
                "logging.level.root", "WARN",
                "logging.level.dev.cohort", "ERROR",
                "shop.plain.timeout", CALL_TIMEOUT.toMillis() + "ms",
                "cohort.participant.resolver.hold-threshold", "10s",
                "cohort.participant.resolver.period", "1s"));
    try (ShopServices shop = ShopServices.startAll(settings, 0);
        ShopClient client = new ShopClient(shop.urls())) {
      long ready = System.nanoTime();
      out.printf(
          Locale.ROOT,
          "coordinator %s (SQLite log %s) and five shop services started in %.1f s"
              + " (%.1f s since the JVM started)%n",
          coordinator,
          dir.resolve("log.db"),
          (ready - begin) / 1e9,
          (System.currentTimeMillis() - jvmStart) / 1e3);
      out.println();
      out.flush();

      List<Result> results = new ArrayList<>();
      for (Mode mode : Mode.values()) {
        results.add(runMode(mode, purchases, client, out));
      }
      printTable(results, out);
      printUrls(coordinator, token, shop, out);
      boolean cohortHolds =
          results.stream()
              .filter(r -> r.mode().cohort())
              .allMatch(r -> r.broken() == 0 && r.quiet());
      out.println(
          cohortHolds
              ? "every invariant held in the Cohort modes."
              : "AN INVARIANT BROKE IN A COHORT MODE: see above.");
      out.flush();
      if (!cohortHolds) {
        return 1;
      }
      if (!exit) {
        out.println("serving until Ctrl-C ...");
        out.flush();
        awaitShutdown();
      }
      return 0;
    } finally {
      server.close();
    }
  }

  private static Result runMode(Mode mode, int purchases, ShopClient client, PrintWriter out)
      throws InterruptedException {
    Map<ShopService, JsonNode> before = client.state();
    Random random = new Random(mode.code.hashCode());
    AtomicInteger done = new AtomicInteger();
    AtomicInteger committed = new AtomicInteger();
    AtomicInteger rolledBack = new AtomicInteger();
    AtomicInteger broke = new AtomicInteger();
    ConcurrentLinkedQueue<String> unsettled = new ConcurrentLinkedQueue<>();
    int faults = 0;
    List<ShopService> targets =
        mode.cohort()
            ? List.of(ShopService.values())
            : List.of(
                ShopService.ACCOUNT,
                ShopService.INVENTORY,
                ShopService.POINTS,
                ShopService.WAREHOUSE);
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    // At most CONCURRENCY purchases in flight, so the faults armed below land among them.
    Semaphore inFlight = new Semaphore(CONCURRENCY);
    long start = System.nanoTime();
    long lastPrinted = 0;
    try {
      for (int i = 0; i < purchases; i++) {
        inFlight.acquire();
        if (i % FAULT_EVERY == FAULT_EVERY / 2) {
          List<String> kinds = mode.faults();
          client.arm(
              targets.get(random.nextInt(targets.size())), kinds.get(random.nextInt(kinds.size())));
          faults++;
        }
        String account = Seed.account(random.nextInt(Seed.ACCOUNTS));
        Seed.Item item = Seed.CATALOG.get(random.nextInt(Seed.CATALOG.size()));
        int quantity = 1 + random.nextInt(3);
        pool.execute(() -> {
          try {
            JsonNode r = client.purchase(mode.code, account, item.id(), quantity);
            switch (r.path("outcome").asText()) {
              case "committed" -> committed.incrementAndGet();
              case "rolled_back" -> rolledBack.incrementAndGet();
              default -> broke.incrementAndGet();
            }
            if (!r.path("outcome").asText().equals("rolled_back")
                && !"PAID".equals(r.path("orderStatus").asText())) {
              unsettled.add(r.path("orderId").asText());
            }
          } catch (RuntimeException e) {
            broke.incrementAndGet();
          } finally {
            done.incrementAndGet();
            inFlight.release();
          }
        });
        if (System.nanoTime() - lastPrinted > PROGRESS_EVERY.toNanos()) {
          progress(mode, done.get(), purchases, committed, rolledBack, broke, start, out);
          lastPrinted = System.nanoTime();
        }
      }
      pool.shutdown();
      while (!pool.awaitTermination(250, TimeUnit.MILLISECONDS)) {
        progress(mode, done.get(), purchases, committed, rolledBack, broke, start, out);
      }
      progress(mode, done.get(), purchases, committed, rolledBack, broke, start, out);
    } finally {
      pool.shutdownNow();
    }
    client.clearFaults();
    out.println();

    Map<ShopService, JsonNode> after = client.state();
    boolean quiet = true;
    if (mode.cohort()) {
      long deadline = System.nanoTime() + QUIET_WAIT.toNanos();
      // Eventual consistency: a confirm or compensation may still be on its way once no order is
      // PAYING; wait (bounded) until all is quiet and the invariants hold, then report as it is.
      while (!(Invariants.quiet(after) && holds(Invariants.check(before, after)))
          && System.nanoTime() < deadline) {
        out.printf(Locale.ROOT, "\r  waiting for the last transactions to finish ...");
        out.flush();
        Thread.sleep(500);
        after = client.state();
      }
      quiet = Invariants.quiet(after);
    }
    int resolved = 0;
    int unresolved = 0;
    for (String orderId : unsettled) {
      String status = client.orderStatus(orderId);
      if ("PAID".equals(status) || "CANCELLED".equals(status)) {
        resolved++;
      } else {
        unresolved++;
      }
    }
    long paid =
        after.get(ShopService.ORDER).path("orders").path("PAID").asLong()
            - before.get(ShopService.ORDER).path("orders").path("PAID").asLong();
    long cancelled =
        after.get(ShopService.ORDER).path("orders").path("CANCELLED").asLong()
            - before.get(ShopService.ORDER).path("orders").path("CANCELLED").asLong();
    List<Invariants.Check> checks = Invariants.check(before, after);
    out.printf(
        Locale.ROOT,
        "\r  %s: %d paid, %d cancelled; invariants: %s%n",
        mode.label,
        paid,
        cancelled,
        checks.stream().allMatch(Invariants.Check::holds)
            ? "all " + checks.size() + " hold"
            : checks.stream().filter(c -> !c.holds()).count() + " of " + checks.size() + " BROKEN");
    for (Invariants.Check c : checks) {
      if (!c.holds()) {
        out.println("    broken: " + c.name() + " (" + c.figures() + ")");
      }
    }
    out.println();
    out.flush();
    return new Result(
        mode,
        purchases,
        paid,
        // Once quiet, a Cohort purchase not paid left nothing behind (some never wrote an order:
        // a refused order try); without Cohort only the CANCELLED orders are known.
        mode.cohort() ? purchases - paid : cancelled,
        mode.cohort() ? resolved : 0,
        unresolved,
        faults,
        checks,
        quiet);
  }

  private static boolean holds(List<Invariants.Check> checks) {
    return checks.stream().allMatch(Invariants.Check::holds);
  }

  private static void progress(
      Mode mode,
      int done,
      int total,
      AtomicInteger committed,
      AtomicInteger rolledBack,
      AtomicInteger broke,
      long start,
      PrintWriter out) {
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf(
        Locale.ROOT,
        "\r%-15s %4d/%d purchases  committed %d  rolled back %d  broke off %d  %5.1f/s   ",
        mode.label,
        done,
        total,
        committed.get(),
        rolledBack.get(),
        broke.get(),
        seconds > 0 ? done / seconds : 0.0);
    out.flush();
  }

  private static void printTable(List<Result> results, PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "%-15s %9s %9s %11s %15s %6s  %s%n",
        "mode",
        "purchases",
        "committed",
        "rolled back",
        "failed→resolved",
        "faults",
        "invariants");
    for (Result r : results) {
      String invariants =
          r.broken() == 0
              ? r.checks().size() + "/" + r.checks().size() + " hold"
              : r.broken() + " of " + r.checks().size() + " BROKEN";
      out.printf(
          Locale.ROOT,
          "%-15s %9d %9d %11d %15s %6d  %s%n",
          r.mode().label,
          r.purchases(),
          r.committed(),
          r.rolledBack(),
          r.mode().cohort()
              ? r.failedThenResolved() + (r.unresolved() > 0 ? " (" + r.unresolved() + " not)" : "")
              : "-",
          r.faults(),
          invariants);
    }
    out.println();
  }

  private static void printUrls(
      String coordinator, String token, ShopServices shop, PrintWriter out) {
    out.println("look at:  " + coordinator + "/v1/transactions");
    out.println("          " + coordinator + "/console  (web console; token " + token + ")");
    for (ShopService s : ShopService.values()) {
      out.printf(Locale.ROOT, "          %-9s %s/admin/state%n", s.code(), shop.url(s));
    }
    out.println(
        "buy:      curl -s -XPOST "
            + shop.url(ShopService.ORDER)
            + "/purchases -H 'Content-Type: application/json'"
            + " -d '{\"mode\":\"tcc\",\"account\":\"a01\",\"item\":\"book\"}'");
    out.println(
        "fault:    curl -s -XPOST "
            + shop.url(ShopService.ACCOUNT)
            + "/admin/faults -H 'Content-Type: application/json'"
            + " -d '{\"kind\":\"fail\",\"op\":\"confirm\"}'");
    out.println("operator: ./cohort tx list --url " + coordinator + " --token " + token);
    out.println();
  }

  private static String option(List<String> args, String name, String fallback) {
    int i = args.indexOf(name);
    if (i < 0) {
      return fallback;
    }
    if (i + 1 >= args.size()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args.get(i + 1);
  }

  private static void recreate(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".db") || name.endsWith(".db-wal") || name.endsWith(".db-shm")) {
          Files.delete(f);
        }
      }
    }
  }

  private static void awaitShutdown() throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "shop-demo-shutdown"));
    stopped.await();
  }
}
